package io.cronstream.schemas;

import java.time.Instant;
import java.util.Objects;

/**
 * Field rules shared by the progress-side events. Each failure is an {@link IllegalArgumentException}
 * whose message names the field, because that message becomes the dead-letter reason a producer reads.
 */
final class Checks {

    /** Counts above this are certainly a bug on the producer's side, and keep sums far from overflow. */
    static final long MAX_COUNT = 1_000_000_000_000L;

    private Checks() {
    }

    static <T> T required(T value, String field) {
        return Objects.requireNonNull(value, field + " is required");
    }

    /** An identifier: present, not blank, bounded, and free of control characters (they break keys and logs). */
    static String requireId(String value, String field, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return optionalId(value, field, maxLength);
    }

    static String optionalId(String value, String field, int maxLength) {
        optionalText(value, field, maxLength);
        if (value != null && hasControlCharacter(value)) {
            throw new IllegalArgumentException(field + " contains control characters");
        }
        return value;
    }

    /** {@code value.chars().anyMatch(Character::isISOControl)}, without a stream: ids are checked on every event. */
    private static boolean hasControlCharacter(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static String optionalText(String value, String field, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new IllegalArgumentException(field + " is longer than " + maxLength + " characters");
        }
        return value;
    }

    /** A required event time, within {@link Times#RANGE}. */
    static Instant time(Instant value, String field) {
        required(value, field);
        if (!Times.supported(value)) {
            throw new IllegalArgumentException(field + " must be a time " + Times.RANGE + ", got " + value);
        }
        return value;
    }

    static Long count(Long value, String field) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
        if (value != null && value > MAX_COUNT) {
            throw new IllegalArgumentException(field + " is larger than " + MAX_COUNT + ", got " + value);
        }
        return value;
    }
}
