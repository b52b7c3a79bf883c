package io.cronstream.schemas;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record that Cronstream could not use. On {@code cronstream.dlq} the original key and bytes
 * travel unchanged and this record's fields ride in headers; {@link #toView()} is the same
 * record as JSON ({@code dead-letter.schema.json}) for tools and the API.
 */
public record DeadLetter(
        byte[] key,
        byte[] value,
        String error,
        String sourceTopic,
        int partition,
        long offset,
        Instant failedAt) {

    public static final String ERROR = "cronstream.error";
    public static final String SOURCE_TOPIC = "cronstream.source.topic";
    public static final String SOURCE_PARTITION = "cronstream.source.partition";
    public static final String SOURCE_OFFSET = "cronstream.source.offset";
    public static final String FAILED_AT = "cronstream.failed.at";

    /** Bytes of the original key and of the value a dead letter keeps (256 KB). */
    public static final int MAX_BYTES = 256 * 1024;

    /** A reason is for people; cap it so a hostile value cannot make a huge header. */
    private static final int MAX_ERROR_LENGTH = 1000;
    private static final String BASE64_PREFIX = "base64:";

    public DeadLetter {
        error = error == null || error.isBlank() ? "unknown error" : Printable.escape(error);
        // The DLQ must take every dead letter, and Kafka refuses records over 1 MB by default: a larger
        // key or value (refused for its size in the first place) keeps its first bytes, and the reason says so.
        if (value != null && value.length > MAX_BYTES) {
            error = "value cut to its first " + MAX_BYTES + " of " + value.length + " bytes: " + error;
            value = Arrays.copyOf(value, MAX_BYTES);
        }
        if (key != null && key.length > MAX_BYTES) {
            error = "key cut to its first " + MAX_BYTES + " of " + key.length + " bytes: " + error;
            key = Arrays.copyOf(key, MAX_BYTES);
        }
        if (error.length() > MAX_ERROR_LENGTH) {
            // Never cut a surrogate pair in half: the lone half would turn into '?' in the UTF-8 header.
            int end = MAX_ERROR_LENGTH - (Character.isHighSurrogate(error.charAt(MAX_ERROR_LENGTH - 1)) ? 1 : 0);
            error = error.substring(0, end) + "…";
        }
        // Building a dead letter must not fail on missing metadata: it is the last resort for bad input.
        sourceTopic = sourceTopic == null || sourceTopic.isBlank() ? "unknown" : sourceTopic;
        Objects.requireNonNull(failedAt, "failedAt is required");
    }

    public Headers toHeaders() {
        Headers headers = new RecordHeaders();
        headers.add(ERROR, utf8(error));
        headers.add(SOURCE_TOPIC, utf8(sourceTopic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
        headers.add(FAILED_AT, utf8(failedAt.toString()));
        return headers;
    }

    public static DeadLetter fromRecord(byte[] key, byte[] value, Headers headers) {
        return new DeadLetter(key, value, header(headers, ERROR), header(headers, SOURCE_TOPIC),
                Integer.parseInt(header(headers, SOURCE_PARTITION)), Long.parseLong(header(headers, SOURCE_OFFSET)),
                Instant.parse(header(headers, FAILED_AT)));
    }

    /** The JSON view: the value as UTF-8 text when it is text, otherwise base64. */
    public View toView() {
        return new View(text(key), text(value), error, sourceTopic, partition, offset, failedAt);
    }

    /**
     * Key and value are shown as UTF-8 text when they are text, otherwise as {@code base64:...}; text that
     * itself starts with {@code base64:} is encoded too, so every view reads back to the same bytes.
     */
    public record View(String key, String value, String error, String sourceTopic,
            int partition, long offset, Instant failedAt) {
    }

    private static String text(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            JsonCodec.requireUtf8(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (!text.startsWith(BASE64_PREFIX)) {
                return text;
            }
        } catch (InvalidRecordException notText) {
            // binary: base64 below is the only faithful rendering
        }
        return BASE64_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null) {
            throw new IllegalArgumentException("dead letter lacks header " + name);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
