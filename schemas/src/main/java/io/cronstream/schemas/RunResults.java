package io.cronstream.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * A run's {@code result} kept within a size: a result that fits is kept as it is; a larger one becomes
 * {@code {"truncated": true, "bytes": <its size>, "preview": "<the head of its JSON text>"}}, so whoever reads it
 * sees that it was cut and how much there was.
 */
public final class RunResults {

    private RunResults() {
    }

    public static JsonNode fit(JsonNode result, int maxBytes) {
        if (result == null) {
            return null;
        }
        String text;
        try {
            text = Json.mapper().writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("result cannot be written as JSON: " + e.getOriginalMessage());
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= maxBytes) {
            return result;
        }
        ObjectNode cut = JsonNodeFactory.instance.objectNode();
        cut.put("truncated", true);
        cut.put("bytes", bytes);
        // the preview's own escaping and the two fields beside it must fit too
        cut.put("preview", TextBudget.fit(text, Math.max(64, maxBytes / 2 - 64)));
        return cut;
    }
}
