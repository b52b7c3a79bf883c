package io.cronstream.ticker.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * Turns MongoDB relaxed/canonical Extended JSON wrappers into plain JSON, so the rest of the
 * parser (and the payload workers receive) sees one shape whichever output format the connector
 * was configured with: {@code {"$oid": h}} → h, {@code {"$date": ..}} → ISO-8601 text,
 * {@code {"$numberLong": "5"}} → 5.
 */
public final class ExtendedJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ExtendedJson() {
    }

    public static JsonNode simplify(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode(node.size());
            node.forEach(element -> out.add(simplify(element)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1) {
            Map.Entry<String, JsonNode> only = node.fields().next();
            JsonNode unwrapped = unwrap(only.getKey(), only.getValue());
            if (unwrapped != null) {
                return unwrapped;
            }
        }
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            out.set(field.getKey(), simplify(field.getValue()));
        }
        return out;
    }

    /** The plain value of a one-field wrapper, or null when it is not one we know (or is malformed). */
    private static JsonNode unwrap(String wrapper, JsonNode value) {
        try {
            return switch (wrapper) {
                case "$oid", "$symbol" -> value.isTextual() ? value : null;
                case "$numberLong", "$numberInt" -> value.isTextual() ? NODES.numberNode(Long.parseLong(value.asText())) : null;
                case "$numberDouble", "$numberDecimal" -> value.isTextual() ? NODES.numberNode(new BigDecimal(value.asText())) : null;
                case "$date" -> date(value);
                default -> null;
            };
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static JsonNode date(JsonNode value) {
        if (value.isTextual()) {
            return value;
        }
        if (value.isIntegralNumber()) {
            return NODES.textNode(Instant.ofEpochMilli(value.longValue()).toString());
        }
        if (value.isObject() && value.has("$numberLong") && value.get("$numberLong").isTextual()) {
            return NODES.textNode(Instant.ofEpochMilli(Long.parseLong(value.get("$numberLong").asText())).toString());
        }
        return null;
    }
}
