package io.cronstream.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads a worker's {@link StageProgressEvent} exactly as {@code JsonCodec.of(StageProgressEvent.class)} does, but
 * a plainly well-formed one (printable ASCII, known fields once each, each of its JSON type, an instant in the
 * canonical spelling, no result) field by field from Jackson's streaming parser instead of through data binding,
 * which costs the progress fold a fifth of its time. Everything else, and every record that turns out invalid, is
 * read by the codec itself, so what is accepted, and the reason a record is refused, stay the codec's.
 */
public final class StageProgressJson {

    private static final JsonCodec<StageProgressEvent> CODEC = JsonCodec.of(StageProgressEvent.class);
    /** The shared mapper's factory: the same read limits and duplicate-key detection. */
    private static final JsonFactory FACTORY = Json.mapper().getFactory();

    private StageProgressJson() {
    }

    /** The event, or {@link InvalidRecordException} with the codec's reason. */
    public static StageProgressEvent read(byte[] bytes) {
        StageProgressEvent event = plain(bytes);
        return event != null ? event : CODEC.read(bytes);
    }

    /** The event when the record is plainly well formed; null when the codec must read it. */
    static StageProgressEvent plain(byte[] bytes) {
        if (bytes == null || !JsonCodec.isPlainAscii(bytes)) {
            return null; // the codec decodes and checks it
        }
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Fields fields = new Fields();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (!fields.read(name, parser.nextToken(), parser)) {
                    return null;
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
            return fields.event();
        } catch (IOException | RuntimeException e) {
            return null; // malformed, too large, refused by the record's checks: the codec says why
        }
    }

    /**
     * The fields read so far. A repeated key never reaches here: the shared factory's parser refuses it
     * ({@code STRICT_DUPLICATE_DETECTION}), and the codec then says so.
     */
    private static final class Fields {
        private static final int RUN_ID = 0;
        private static final int JOB_ID = 1;
        private static final int JOB_TYPE = 2;
        private static final int STAGE = 3;
        private static final int MESSAGE = 4;
        private static final int EVENT_ID = 5;
        private static final int ERROR = 6;
        private static final int TOTAL = 0;
        private static final int INCREMENT = 1;
        private static final int COMPLETED = 2;
        private static final int FAILED = 3;

        private final String[] texts = new String[7];
        private final Long[] counts = new Long[4];
        private ProgressKind kind;
        private Instant at;

        /** False when the field is unknown, or of a type or spelling the codec must judge. */
        boolean read(String name, JsonToken value, JsonParser parser) throws IOException {
            return switch (name) {
                case "runId" -> text(RUN_ID, value, parser);
                case "jobId" -> text(JOB_ID, value, parser);
                case "jobType" -> text(JOB_TYPE, value, parser);
                case "stage" -> text(STAGE, value, parser);
                case "message" -> text(MESSAGE, value, parser);
                case "eventId" -> text(EVENT_ID, value, parser);
                case "error" -> text(ERROR, value, parser);
                case "total" -> count(TOTAL, value, parser);
                case "increment" -> count(INCREMENT, value, parser);
                case "completed" -> count(COMPLETED, value, parser);
                case "failed" -> count(FAILED, value, parser);
                case "kind" -> value == JsonToken.VALUE_STRING && (kind = kindNamed(parser.getText())) != null;
                case "at" -> value == JsonToken.VALUE_STRING && (at = CanonicalInstant.parse(parser.getText())) != null;
                default -> false; // unknown fields and result: the codec
            };
        }

        StageProgressEvent event() {
            return new StageProgressEvent(texts[RUN_ID], texts[JOB_ID], texts[JOB_TYPE], texts[STAGE], kind,
                    counts[TOTAL], counts[INCREMENT], counts[COMPLETED], counts[FAILED], texts[MESSAGE], at,
                    texts[EVENT_ID], null, texts[ERROR]);
        }

        private boolean text(int index, JsonToken value, JsonParser parser) throws IOException {
            if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                return false;
            }
            texts[index] = parser.getValueAsString();
            return true;
        }

        private boolean count(int index, JsonToken value, JsonParser parser) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return true;
            }
            if (value != JsonToken.VALUE_NUMBER_INT || (parser.getNumberType() != JsonParser.NumberType.INT
                    && parser.getNumberType() != JsonParser.NumberType.LONG)) {
                return false;
            }
            counts[index] = parser.getLongValue();
            return true;
        }

        private static ProgressKind kindNamed(String text) {
            for (ProgressKind candidate : ProgressKind.values()) {
                if (candidate.name().equals(text)) {
                    return candidate;
                }
            }
            return null;
        }
    }
}
