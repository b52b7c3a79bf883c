package io.cronstream.workers.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.workers.files.ExtensionFilter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a LibraryScan job's payload asks for: {@code {"libraryId": .., "path": ..}}, optionally
 * {@code "extensions": ["jpg", ..]} (default: common image types).
 */
record ScanRequest(String libraryId, Path folder, ExtensionFilter filter) {

    static ScanRequest from(JsonNode payload) {
        String libraryId = text(payload, "libraryId");
        String path = text(payload, "path");
        JsonNode extensions = payload.path("extensions");
        ExtensionFilter filter = ExtensionFilter.IMAGES;
        if (extensions.isArray()) {
            List<String> names = new ArrayList<>();
            extensions.forEach(name -> names.add(name.asText()));
            filter = ExtensionFilter.parse(String.join(",", names));
        } else if (extensions.isTextual()) {
            filter = ExtensionFilter.parse(extensions.asText());
        } else if (!extensions.isMissingNode() && !extensions.isNull()) {
            throw new IllegalArgumentException("payload field 'extensions' must be a list of file extensions");
        }
        return new ScanRequest(libraryId, Path.of(path), filter);
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("payload needs a text field '" + field + "' (LibraryScan payload: "
                    + "{\"libraryId\": .., \"path\": ..})");
        }
        return value.asText();
    }
}
