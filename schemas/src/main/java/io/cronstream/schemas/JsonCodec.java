package io.cronstream.schemas;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads and writes one record type as UTF-8 JSON. Reading never throws anything but
 * {@link InvalidRecordException}, whose message says what was wrong in words a producer can act on.
 */
public final class JsonCodec<T> {

    private final Class<T> type;
    private final ObjectMapper mapper;
    /** Trailing input is checked by {@link #read} itself, to tell it apart from a wrong type. */
    private final ObjectReader reader;

    private JsonCodec(Class<T> type, ObjectMapper mapper) {
        this.type = type;
        this.mapper = mapper;
        this.reader = mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public static <T> JsonCodec<T> of(Class<T> type) {
        return new JsonCodec<>(type, Json.mapper());
    }

    public Class<T> type() {
        return type;
    }

    public T read(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidRecordException("value is null");
        }
        try (JsonParser parser = parserOf(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidRecordException("value is empty");
            }
            if (first == JsonToken.VALUE_NULL) {
                throw new InvalidRecordException("value is JSON null");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidRecordException("value must be a JSON object, not " + kind(first));
            }
            T value = reader.readValue(parser);
            if (parser.nextToken() != null) {
                throw new InvalidRecordException("malformed JSON: more than one value" + location(parser));
            }
            return value;
        } catch (IOException e) {
            throw new InvalidRecordException(describe(e), e);
        }
    }

    public byte[] write(T value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Serde<T> serde() {
        Serializer<T> serializer = (topic, value) -> value == null ? null : write(value);
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /**
     * Printable ASCII without NUL (what almost every record is) is parsed as bytes: it is UTF-8 whatever Jackson
     * guesses, and columns count the same in bytes and characters. Anything else is decoded first, strictly, so
     * Jackson cannot guess UTF-16 or UTF-32 and no malformed UTF-8 passes: the wire format is UTF-8.
     */
    private JsonParser parserOf(byte[] bytes) throws IOException {
        return isPlainAscii(bytes) ? reader.createParser(bytes) : reader.createParser(decodeUtf8(bytes));
    }

    /** Printable ASCII without NUL: bytes any JSON reader takes as UTF-8, whatever it would guess. */
    static boolean isPlainAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b <= 0) {
                return false;
            }
        }
        return true;
    }

    /** Rejects bytes that are not UTF-8, so no replacement characters sneak into ids and names. */
    static void requireUtf8(byte[] bytes) {
        decodeUtf8(bytes);
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRecordException("value is not valid UTF-8", e);
        }
    }

    /** Turns Jackson's exception into one line naming the field and the problem, without a stack trace. */
    static String describe(IOException e) {
        // Databind wraps the parser's limits; a too-deep payload must read as such, not as a type problem.
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamConstraintsException sce) {
                return "value too large or too deeply nested: " + sce.getOriginalMessage();
            }
        }
        if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
            return withPath(vie, vie.getCause().getMessage());
        }
        if (e instanceof InvalidFormatException ife) {
            return withPath(ife, "cannot read " + quote(ife.getValue()) + " as " + typeName(ife.getTargetType()));
        }
        if (e instanceof MismatchedInputException mie) {
            String expected = mie.getTargetType() == null ? "another type" : typeName(mie.getTargetType());
            return withPath(mie, "wrong type, expected " + expected);
        }
        if (e instanceof JsonMappingException jme && jme.getCause() instanceof InputCoercionException ice) {
            String range = ice.getTargetType() == null ? "" : " of " + typeName(ice.getTargetType());
            return withPath(jme, "number out of range" + range);
        }
        if (e instanceof JsonProcessingException jpe) {
            return "malformed JSON: " + jpe.getOriginalMessage() + location(jpe.getLocation());
        }
        return "unreadable value: " + e.getMessage();
    }

    private static String withPath(JsonMappingException e, String message) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? message : "field '" + path + "': " + message;
    }

    private static String typeName(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        return type == Instant.class ? "an ISO-8601 time such as 2026-01-01T00:00:00Z" : type.getSimpleName();
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> token.name();
        };
    }

    private static String location(JsonParser parser) {
        return location(parser.currentLocation());
    }

    private static String location(JsonLocation where) {
        return where == null || where.getLineNr() < 1
                ? ""
                : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
    }

    private static String quote(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + "'";
    }
}
