package io.cronstream.app;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Cronstream's settings: {@code cronstream.*} keys from a properties file, each overridable by an
 * environment variable ({@code cronstream.api.port} ← {@code CRONSTREAM_API_PORT}). Immutable.
 * Keys under {@code cronstream.kafka.} pass through to Kafka Streams and its clients unchanged.
 */
public final class Settings {

    public static final String PREFIX = "cronstream.";
    public static final String KAFKA_PREFIX = PREFIX + "kafka.";

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    /** The file's settings (if any), overridden by {@code CRONSTREAM_*} variables in {@code env}. */
    public static Settings load(Path file, Map<String, String> env) {
        Map<String, String> values = new TreeMap<>();
        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read settings file " + file, e);
            }
            props.stringPropertyNames().forEach(key -> values.put(key, props.getProperty(key).trim()));
        }
        env.forEach((name, value) -> {
            if (name.startsWith("CRONSTREAM_") && !name.equals("CRONSTREAM_CONFIG")) {
                values.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value.trim());
            }
        });
        return new Settings(values);
    }

    /** These settings, with {@code defaults} filling only the keys that are not set. */
    public Settings withDefaults(Map<String, String> defaults) {
        Map<String, String> merged = new TreeMap<>(defaults);
        merged.putAll(values);
        return new Settings(merged);
    }

    public Settings with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new Settings(copy);
    }

    public String string(String key, String fallback) {
        String value = values.get(key);
        return value == null || value.isEmpty() ? fallback : value;
    }

    public int integer(String key, int fallback) {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw invalid(key, value, "a whole number");
        }
    }

    public Duration duration(String key, Duration fallback) {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(key, value, "an ISO-8601 duration like PT1S or PT5M");
        }
    }

    public boolean bool(String key, boolean fallback) {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw invalid(key, value, "true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /** The {@code cronstream.kafka.*} settings with the prefix removed. */
    public Map<String, String> kafka() {
        Map<String, String> kafka = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(KAFKA_PREFIX)) {
                kafka.put(key.substring(KAFKA_PREFIX.length()), value);
            }
        });
        return kafka;
    }

    private static IllegalArgumentException invalid(String key, String value, String expected) {
        return new IllegalArgumentException("setting " + key + " = '" + value + "': expected " + expected);
    }
}
