package io.cronstream.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;
import java.io.IOException;
import java.time.Instant;

/** The one JSON configuration of Cronstream: ISO-8601 instants, no nulls written, unknown fields tolerated. */
public final class Json {

    /**
     * Hostile input must cost bounded memory and stack: deep nesting ("JSON bombs") and huge
     * numbers are refused while parsing, before any record is built.
     */
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxNumberLength(64)
            .maxStringLength(8 * 1024 * 1024)
            .build();

    private static final ObjectMapper MAPPER = create();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A fresh mapper with Cronstream's settings, for callers that must change one (e.g. the API includes nulls). */
    public static ObjectMapper create() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("cronstream-instants").addDeserializer(Instant.class, new TextInstant())
                        .addSerializer(Instant.class, new CanonicalInstantWriter()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Wrong types are errors, not guesses: 1.5 is no int and 5 is no id (the schemas say the same).
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // An enum is its name: Jackson would read 3 as the fourth constant ("kind": 3 as STAGE_COMPLETED).
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                // With duplicate keys, which one counts would depend on the reader: refuse the ambiguity.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                        JsonInclude.Include.NON_NULL))
                .build();
        mapper.getFactory().setStreamReadConstraints(LIMITS);
        return mapper;
    }

    /**
     * Instants travel as ISO-8601 text. Jackson would read a bare number as epoch seconds, which turns
     * the epoch milliseconds a producer most likely meant into a date tens of thousands of years away.
     */
    private static final class TextInstant extends StdDeserializer<Instant> {

        TextInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            Instant canonical = CanonicalInstant.parse(parser.getText());
            return canonical != null ? canonical : InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }

    /**
     * Writes an instant as {@code Instant.toString()} does (what the time module writes with
     * {@code WRITE_DATES_AS_TIMESTAMPS} off, Cronstream's setting), without a {@code DateTimeFormatter}: every run
     * change writes a dozen instants. A mapper that turns timestamps on gets the time module's numbers.
     */
    private static final class CanonicalInstantWriter extends StdSerializer<Instant> {

        CanonicalInstantWriter() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (provider.isEnabled(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)) {
                InstantSerializer.INSTANCE.serialize(value, generator, provider);
                return;
            }
            String text = CanonicalInstant.format(value);
            generator.writeString(text != null ? text : value.toString());
        }
    }
}
