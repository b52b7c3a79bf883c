package io.cronstream.ticker.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.Json;
import io.cronstream.schemas.Sha256;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a job document says, as one short text that is equal for equal documents however they are spelled: the
 * ticker keeps the fingerprint of the record it applied for each job, and the reconciliation compares it with
 * MongoDB's document. Relaxed Extended JSON and the connector's SimplifiedJson give the same fingerprint (the
 * wrappers are read as {@link ExtendedJson} reads them), and so do field order, white space and number spelling
 * ({@code 1}, {@code 1.0}). A stub ({@link OversizedDocument}) is fingerprinted by its version alone: however large
 * a refused document was, it means the same to the ticker.
 */
public final class JobFingerprint {

    /** A record that is not a JSON object: no document in MongoDB has this fingerprint. */
    public static final String UNREADABLE = "unreadable";

    private JobFingerprint() {
    }

    /** The fingerprint of a record's value; null for a tombstone. */
    public static String of(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode doc = Json.mapper().readTree(new String(value, StandardCharsets.UTF_8));
            return doc != null && doc.isObject() ? of(ExtendedJson.simplify(doc)) : UNREADABLE;
        } catch (IOException | RuntimeException unreadable) {
            return UNREADABLE;
        }
    }

    /** The fingerprint of a document already read and simplified ({@link ExtendedJson#simplify}). */
    public static String of(JsonNode doc) {
        return OversizedDocument.of(doc)
                .map(stub -> "too-large:" + stub.version())
                .orElseGet(() -> {
                    StringBuilder text = new StringBuilder();
                    canonical(text, doc);
                    return Sha256.hex(text.toString(), 16);
                });
    }

    /** Each value as a type tag and a length-prefixed text, so no two documents read the same. */
    private static void canonical(StringBuilder out, JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                sorted.put(field.getKey(), field.getValue());
            }
            token(out, 'o', Integer.toString(sorted.size()));
            sorted.forEach((name, value) -> {
                token(out, 'k', name);
                canonical(out, value);
            });
        } else if (node.isArray()) {
            token(out, 'a', Integer.toString(node.size()));
            node.forEach(element -> canonical(out, element));
        } else if (node.isNumber()) {
            token(out, 'n', number(node));
        } else if (node.isTextual()) {
            token(out, 's', node.asText());
        } else if (node.isBoolean()) {
            token(out, 'b', Boolean.toString(node.asBoolean()));
        } else {
            token(out, 'z', node.isNull() ? "" : node.toString());
        }
    }

    private static String number(JsonNode node) {
        BigDecimal value = node.isBigDecimal() || node.isFloatingPointNumber() ? node.decimalValue()
                : new BigDecimal(node.bigIntegerValue());
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    private static void token(StringBuilder out, char type, String text) {
        out.append(type).append(text.length()).append(':').append(text);
    }
}
