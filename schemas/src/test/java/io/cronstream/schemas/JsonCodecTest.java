package io.cronstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;

/** What a producer is told when Cronstream cannot read its record: one line, naming the field. */
class JsonCodecTest {

    private static final String COMMAND_REST = "\"type\": \"TRIGGER\", \"requestedAt\": \"2026-11-22T10:15:30.250Z\"";
    private static final String DUE_EVENT = "\"jobId\": \"j\", \"runId\": \"j@1767232800000\","
            + " \"scheduledFor\": \"2026-01-01T02:00:00Z\", \"firedAt\": \"2026-01-01T02:00:00Z\","
            + " \"trigger\": \"SCHEDULE\"";
    private static final String DEAD_LETTER_REST = "\"error\": \"e\", \"sourceTopic\": \"t\", \"offset\": 1,"
            + " \"failedAt\": \"2026-11-22T10:15:30Z\"";

    private final JsonCodec<Command> commands = JsonCodec.of(Command.class);
    private final JsonCodec<DueEvent> dueEvents = JsonCodec.of(DueEvent.class);
    private final JsonCodec<DeadLetter.View> deadLetters = JsonCodec.of(DeadLetter.View.class);

    @Test
    void malformedJsonSaysSoAndWhere() {
        assertReadError(commands, "{\"jobId\": ")
                .startsWith("malformed JSON: ")
                .contains("line 1, column 11");
    }

    @Test
    void wrongTypeNamesTheField() {
        assertReadError(commands, "{\"jobId\": 5, " + COMMAND_REST + "}")
                .isEqualTo("field 'jobId': cannot read '5' as String");
        assertReadError(commands, "{\"jobId\": {\"id\": 5}, " + COMMAND_REST + "}").startsWith("field 'jobId': wrong type");
        assertReadError(deadLetters, "{\"partition\": \"3\", " + DEAD_LETTER_REST + "}").startsWith("field 'partition': ");
        assertReadError(deadLetters, "{\"partition\": 1.5, " + DEAD_LETTER_REST + "}").startsWith("field 'partition': ");
        assertReadError(deadLetters, "{\"partition\": null, " + DEAD_LETTER_REST + "}").startsWith("field 'partition': ");
        assertReadError(deadLetters, "{\"partition\": 99999999999, " + DEAD_LETTER_REST + "}")
                .isEqualTo("field 'partition': number out of range of int");
    }

    @Test
    void instantsMustBeIsoTextNotEpochNumbers() {
        String epochMillis = "{\"type\": \"TRIGGER\", \"jobId\": \"j\", \"requestedAt\": 1795342530250}";
        String words = "{\"type\": \"TRIGGER\", \"jobId\": \"j\", \"requestedAt\": \"yesterday\"}";

        assertReadError(commands, epochMillis).startsWith("field 'requestedAt': wrong type").contains("ISO-8601");
        assertReadError(commands, words).startsWith("field 'requestedAt': cannot read 'yesterday'").contains("ISO-8601");
    }

    @Test
    void unknownEnumValueNamesTheAllowedValues() {
        assertReadError(commands, "{\"jobId\": \"j\", \"type\": \"PAUSE\", \"requestedAt\": \"2026-11-22T10:15:30Z\"}")
                .isEqualTo("field 'type': cannot read 'PAUSE' as one of [TRIGGER, RUN_FINISHED, AFTER]");
        // RETRY and AFTER became triggers with failure handling (issue 16); REPLAY is not one
        assertReadError(dueEvents, "{" + DUE_EVENT.replace("SCHEDULE", "REPLAY") + "}")
                .isEqualTo("field 'trigger': cannot read 'REPLAY' as one of [SCHEDULE, CATCHUP, MANUAL, RETRY, AFTER]");
    }

    @Test
    void enumsAreNamesNotOrdinals() {
        // Jackson's default reads 1 as the second constant: a TRIGGER that is no trigger.
        assertReadError(commands, "{\"jobId\": \"j\", \"type\": 1, \"requestedAt\": \"2026-11-22T10:15:30Z\"}")
                .startsWith("field 'type': ");
        assertReadError(JsonCodec.of(StageProgressEvent.class),
                "{\"runId\": \"r\", \"stage\": \"s\", \"kind\": 3, \"at\": \"2026-11-22T10:15:30Z\"}")
                .startsWith("field 'kind': ");
    }

    @Test
    void eventTimesAreBetween1970And2099() {
        for (String at : new String[] {"9999-12-31T23:59:59Z", "+999999999-12-31T23:59:59Z", "1969-12-31T23:59:59Z"}) {
            assertReadError(commands, "{\"jobId\": \"j\", \"type\": \"TRIGGER\", \"requestedAt\": \"" + at + "\"}")
                    .isEqualTo("requestedAt must be a time between 1970-01-01 and 2099-12-31, got " + java.time.Instant.parse(at));
        }
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        byte[] latin1 = ("{\"jobId\": \"caf\u00e9\", " + COMMAND_REST + "}").getBytes(StandardCharsets.ISO_8859_1);

        assertReadError(commands, latin1).isEqualTo("value is not valid UTF-8");
    }

    @Test
    void utf16IsNotMistakenForUtf8() {
        byte[] utf16 = ("{\"jobId\": \"j\", " + COMMAND_REST + "}").getBytes(StandardCharsets.UTF_16BE);

        assertReadError(commands, utf16).startsWith("malformed JSON: ");
    }

    @Test
    void nestingBombIsRefusedWhereverItHides() {
        String bomb = "{\"a\": ".repeat(100) + "1" + "}".repeat(100);
        String arrayBomb = "[".repeat(100) + "]".repeat(100);

        assertReadError(dueEvents, "{" + DUE_EVENT + ", \"payload\": " + bomb + "}").contains("too deeply nested");
        assertReadError(dueEvents, "{\"payload\": " + bomb + ", " + DUE_EVENT + "}").contains("too deeply nested");
        assertReadError(dueEvents, "{" + DUE_EVENT + ", \"ignored\": " + arrayBomb + "}").contains("too deeply nested");
        assertReadError(dueEvents, arrayBomb).isEqualTo("value must be a JSON object, not an array");
    }

    @Test
    void hugeNumberIsRefused() {
        assertReadError(deadLetters, "{\"partition\": 1" + "0".repeat(100) + ", " + DEAD_LETTER_REST + "}")
                .contains("too large");
    }

    @Test
    void somethingOtherThanOneObjectIsNamed() {
        assertThatThrownBy(() -> commands.read(null)).hasMessage("value is null");
        assertReadError(commands, "").isEqualTo("value is empty");
        assertReadError(commands, " \n ").isEqualTo("value is empty");
        assertReadError(commands, "null").isEqualTo("value is JSON null");
        assertReadError(commands, "[]").isEqualTo("value must be a JSON object, not an array");
        assertReadError(commands, "\"TRIGGER\"").isEqualTo("value must be a JSON object, not a string");
        assertReadError(commands, "{\"jobId\": \"j\", " + COMMAND_REST + "} {}")
                .startsWith("malformed JSON: more than one value");
    }

    @Test
    void duplicateFieldIsRefusedRatherThanGuessed() {
        assertReadError(commands, "{\"jobId\": \"a\", " + COMMAND_REST + ", \"jobId\": \"b\"}")
                .startsWith("malformed JSON: Duplicate field 'jobId'");
    }

    @Test
    void recordValidationSpeaksThroughTheCodec() {
        assertReadError(commands, "{\"jobId\": \"  \", " + COMMAND_REST + "}").isEqualTo("jobId is required");
        assertReadError(commands, "{" + COMMAND_REST + "}").isEqualTo("jobId is required");
        assertReadError(dueEvents, "{" + DUE_EVENT.replace("j@", "other@") + "}")
                .isEqualTo("runId 'other@1767232800000' is not <jobId>@<epoch millis>, <jobId>@manual-<request id> "
                        + "or <jobId>@after-<16 hex digits>, with -attempt-<n> for a retry");
        assertReadError(dueEvents, "{" + DUE_EVENT + ", \"payload\": [1]}")
                .isEqualTo("payload must be a JSON object, not array");
    }

    /** Every prefix of a valid record is either readable or refused with a one-line reason, never a crash. */
    @Test
    void truncatedInputOnlyEverFailsAsInvalidRecord() {
        String json = "{" + DUE_EVENT + ", \"payload\": {\"a\": [1, 2.5, true, null]}, \"triggeredBy\": \"al\u00efce\"}";
        byte[] whole = json.getBytes(StandardCharsets.UTF_8);

        for (int length = 0; length < whole.length; length++) {
            byte[] prefix = Arrays.copyOf(whole, length);
            Throwable thrown = catchThrowable(() -> dueEvents.read(prefix));
            assertThat(thrown).as("prefix of %d bytes", length).isInstanceOf(InvalidRecordException.class);
            assertThat(thrown.getMessage()).isNotBlank().doesNotContain("\n");
        }
        assertThat(dueEvents.read(whole).triggeredBy()).isEqualTo("al\u00efce");
    }

    @Test
    void serdePassesTombstonesThrough() {
        var serde = commands.serde();

        assertThat(serde.deserializer().deserialize("cronstream.commands", null)).isNull();
        assertThat(serde.serializer().serialize("cronstream.commands", null)).isNull();
    }

    private static AbstractStringAssert<?> assertReadError(JsonCodec<?> codec, String json) {
        return assertReadError(codec, json.getBytes(StandardCharsets.UTF_8));
    }

    private static AbstractStringAssert<?> assertReadError(JsonCodec<?> codec, byte[] bytes) {
        Throwable thrown = catchThrowable(() -> codec.read(bytes));
        assertThat(thrown).isInstanceOf(InvalidRecordException.class);
        return assertThat(thrown.getMessage());
    }
}
