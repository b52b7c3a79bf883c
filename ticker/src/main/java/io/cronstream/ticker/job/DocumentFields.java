package io.cronstream.ticker.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.Times;
import io.cronstream.ticker.schedule.Durations;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Typed reads of a (simplified) job document that collect a readable error per bad field instead
 * of throwing, so one wrong field does not hide the others.
 */
final class DocumentFields {

    private static final int MAX_SHOWN = 60;
    /** Longer intervals, windows and thresholds are mistakes, and would overflow the arithmetic on times. */
    static final Duration MAX_DURATION = Duration.ofDays(36_525);

    private final JsonNode doc;
    /** For the fields of a nested object: {@code "retry."}, so an error names {@code retry.maxAttempts}. */
    private final String prefix;
    private final List<String> errors;

    DocumentFields(JsonNode doc) {
        this(doc, "", new ArrayList<>());
    }

    private DocumentFields(JsonNode doc, String prefix, List<String> errors) {
        this.doc = doc;
        this.prefix = prefix;
        this.errors = errors;
    }

    /**
     * The fields of the object in {@code name}, reporting into this document's errors with the object's name in front
     * ({@code retry.maxAttempts}); null when the field is absent or not an object (then that is an error).
     */
    DocumentFields object(String name) {
        if (present(name) == null) {
            return null;
        }
        JsonNode value = doc.get(name);
        if (!value.isObject()) {
            error(name, "expected an object, got " + describe(value));
            return null;
        }
        return new DocumentFields(value, prefix + name + ".", errors);
    }

    List<String> errors() {
        return errors;
    }

    void error(String field, String problem) {
        errors.add("field '" + prefix + field + "': " + problem);
    }

    /** The first of {@code names} present with a non-null value, or null. */
    String present(String... names) {
        for (String name : names) {
            JsonNode value = doc.get(name);
            if (value != null && !value.isNull()) {
                return name;
            }
        }
        return null;
    }

    JsonNode node(String name) {
        return doc.get(name);
    }

    String text(String... names) {
        String name = present(names);
        if (name == null) {
            return null;
        }
        JsonNode value = doc.get(name);
        if (!value.isTextual()) {
            error(name, "expected a string, got " + describe(value));
            return null;
        }
        return value.asText();
    }

    Boolean bool(String... names) {
        String name = present(names);
        if (name == null) {
            return null;
        }
        JsonNode value = doc.get(name);
        if (!value.isBoolean()) {
            error(name, "expected true or false, got " + describe(value));
            return null;
        }
        return value.booleanValue();
    }

    Long positiveLong(String... names) {
        String name = present(names);
        if (name == null) {
            return null;
        }
        JsonNode value = doc.get(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
            error(name, "expected a whole number of at least 1, got " + describe(value));
            return null;
        }
        return value.longValue();
    }

    /** An object that is not a field of this document (an array's element), reporting as {@code field}. */
    DocumentFields object(String field, JsonNode value) {
        return new DocumentFields(value, prefix + field + ".", errors);
    }

    /** The elements of the array in {@code name} (at most {@code max}); empty when absent or wrong (an error). */
    List<JsonNode> array(String name, int max) {
        if (present(name) == null) {
            return List.of();
        }
        JsonNode value = doc.get(name);
        if (!value.isArray()) {
            error(name, "expected an array, got " + describe(value));
            return List.of();
        }
        if (value.size() > max) {
            error(name, "has " + value.size() + " entries, at most " + max + " are allowed");
            return List.of();
        }
        List<JsonNode> elements = new ArrayList<>();
        value.forEach(elements::add);
        return elements;
    }

    /** A whole number between {@code min} and {@code max}. */
    Integer wholeNumber(String name, int min, int max) {
        if (present(name) == null) {
            return null;
        }
        JsonNode value = doc.get(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min
                || value.longValue() > max) {
            error(name, "expected a whole number from " + min + " to " + max + ", got " + describe(value));
            return null;
        }
        return value.intValue();
    }

    /** A (finite) number between {@code min} and {@code max}, both included. */
    Double number(String name, double min, double max) {
        if (present(name) == null) {
            return null;
        }
        JsonNode value = doc.get(name);
        if (!value.isNumber() || !Double.isFinite(value.doubleValue()) || value.doubleValue() < min
                || value.doubleValue() > max) {
            error(name, "expected a number from " + plain(min) + " to " + plain(max) + ", got " + describe(value));
            return null;
        }
        return value.doubleValue();
    }

    private static String plain(double number) {
        return number == Math.rint(number) ? String.valueOf((long) number) : String.valueOf(number);
    }

    /**
     * ISO-8601 text (a time without offset is read in {@code zone}), or epoch milliseconds, {@link Times#RANGE}:
     * a time Cronstream could fire at.
     */
    Instant instant(ZoneId zone, String... names) {
        return instant(zone, Times.LATEST, names);
    }

    /**
     * Like {@link #instant(ZoneId, String...)} but up to {@code latest}: an end may lie beyond the last time
     * Cronstream fires at (9999-12-31 is a common "no end").
     */
    Instant instant(ZoneId zone, Instant latest, String... names) {
        String name = present(names);
        if (name == null) {
            return null;
        }
        JsonNode value = doc.get(name);
        Instant instant = null;
        try {
            if (value.isIntegralNumber() && value.canConvertToLong()) {
                instant = Instant.ofEpochMilli(value.longValue());
            } else if (value.isTextual()) {
                instant = parseInstant(value.asText(), zone);
            }
        } catch (DateTimeException | ArithmeticException e) {
            // the error below
        }
        if (instant == null) {
            error(name, "expected an ISO-8601 date-time like '2026-01-31T09:00:00Z' or epoch milliseconds, got "
                    + describe(value));
            return null;
        }
        if (instant.isBefore(Times.EARLIEST) || instant.isAfter(latest)) {
            error(name, "expected a time " + (latest.equals(Times.LATEST) ? Times.RANGE
                    : "between 1970-01-01 and " + latest) + ", got " + describe(value));
            return null;
        }
        return instant;
    }

    /** A positive duration: ISO-8601 text, TimeSpan text, or a number of seconds. */
    Duration positiveDuration(String... names) {
        String name = present(names);
        if (name == null) {
            return null;
        }
        JsonNode value = doc.get(name);
        Duration duration;
        try {
            if (value.isNumber()) {
                duration = Durations.ofSeconds(new BigDecimal(value.asText()));
            } else if (value.isTextual()) {
                duration = Durations.parse(value.asText());
            } else {
                error(name, "expected a duration like 'PT30M', 1800 (seconds) or '00:30:00', got " + describe(value));
                return null;
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            error(name, e.getMessage());
            return null;
        }
        if (duration.isNegative() || duration.isZero()) {
            error(name, "must be a positive duration, got " + describe(value));
            return null;
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            error(name, "must be at most 100 years (" + MAX_DURATION + "), got " + describe(value));
            return null;
        }
        return duration;
    }

    /** Case-insensitive, with '-' and ' ' read as '_' ("fire-once", "Fire Once" and "FIRE_ONCE" agree). */
    <E extends Enum<E>> E enumValue(Class<E> type, String... names) {
        String name = present(names);
        if (name == null) {
            return null;
        }
        JsonNode value = doc.get(name);
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        if (value.isTextual()) {
            String wanted = value.asText().trim().replace('-', '_').replace(' ', '_').toUpperCase(Locale.ROOT);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().replace("_", "").equals(wanted.replace("_", ""))) {
                    return constant;
                }
            }
        }
        error(name, "expected one of " + allowed + " (any case), got " + describe(value));
        return null;
    }

    static String describe(JsonNode value) {
        String kind = value.isTextual() ? "string" : value.isNumber() ? "number" : value.isBoolean() ? "boolean"
                : value.isArray() ? "array" : value.isObject() ? "object" : "null";
        String shown = value.isTextual() ? "'" + value.asText() + "'" : value.toString();
        if (shown.length() > MAX_SHOWN) {
            shown = shown.substring(0, MAX_SHOWN) + "…";
        }
        return kind + " " + shown;
    }

    private static Instant parseInstant(String text, ZoneId zone) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException withoutOffset) {
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        }
    }
}
