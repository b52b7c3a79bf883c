package io.cronstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SchemaCatalogTest {

    private final SchemaCatalog catalog = SchemaCatalog.instance();

    @Test
    void errorsNameWhereAndWhat() {
        List<String> errors = catalog.validate("command", json("{\"type\": \"TRIGGER\", \"jobId\": 5}"));

        assertThat(errors).containsExactlyInAnyOrder(
                "/jobId: integer found, string expected",
                "$: required property 'requestedAt' not found");
    }

    @Test
    void formatsAreAssertedNotJustAnnotated() {
        // Matches the pattern of a UTC instant, but there is no 13th month.
        JsonNode command = json("{\"type\": \"TRIGGER\", \"jobId\": \"j\", \"requestedAt\": \"2026-13-01T00:00:00Z\"}");

        assertThat(catalog.validate("command", command)).singleElement().asString().startsWith("/requestedAt: ");
    }

    @Test
    void messagesAreEnglishWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMAN);
            assertThat(catalog.validate("command", json("{}"))).contains("$: required property 'jobId' not found");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void unknownSchemaIsAnError() {
        assertThatThrownBy(() -> catalog.validate("no-such-thing", json("{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-thing");
    }

    @Test
    void nameCannotReachOtherResources() {
        assertThatThrownBy(() -> catalog.validate("../logback", json("{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a schema name: '../logback'");
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
