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
    private final List<String> errors = new ArrayList<>();

    DocumentFields(JsonNode doc) {
        this.doc = doc;
    }

    List<String> errors() {
        return errors;
    }

    void error(String field, String problem) {
        errors.add("field '" + field + "': " + problem);
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
