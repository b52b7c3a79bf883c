package io.cronstream.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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

    private JsonCodec(Class<T> type, ObjectMapper mapper) {
        this.type = type;
        this.mapper = mapper;
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
        requireUtf8(bytes);
        try {
            T value = mapper.readValue(bytes, type);
            if (value == null) {
                throw new InvalidRecordException("value is JSON null");
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

    /** Rejects bytes that are not UTF-8, so no replacement characters sneak into ids and names. */
    static void requireUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new InvalidRecordException("value is not valid UTF-8", e);
        }
    }

    /** Turns Jackson's exception into one line naming the field and the problem, without a stack trace. */
    static String describe(IOException e) {
        if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
            return withPath(vie, vie.getCause().getMessage());
        }
        if (e instanceof InvalidFormatException ife) {
            return withPath(ife, "cannot read " + quote(ife.getValue()) + " as " + simpleName(ife.getTargetType()));
        }
        if (e instanceof MismatchedInputException mie) {
            String expected = mie.getTargetType() == null ? "another type" : simpleName(mie.getTargetType());
            return withPath(mie, "wrong type, expected " + expected);
        }
        if (e instanceof StreamConstraintsException sce) {
            return "value too large or too deeply nested: " + sce.getOriginalMessage();
        }
        if (e instanceof JsonProcessingException jpe) {
            return "malformed JSON: " + jpe.getOriginalMessage();
        }
        return "unreadable value: " + e.getMessage();
    }

    private static String withPath(JsonMappingException e, String message) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? message : "field '" + path + "': " + message;
    }

    private static String simpleName(Class<?> type) {
        return type.isEnum() ? "one of " + java.util.Arrays.toString(type.getEnumConstants()) : type.getSimpleName();
    }

    private static String quote(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + "'";
    }
}
