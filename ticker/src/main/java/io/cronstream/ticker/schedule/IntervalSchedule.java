package io.cronstream.ticker.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Fires at {@code anchor + k × interval}. Anchoring (rather than "interval after the last fire")
 * keeps fire times stable across restarts and late punctuations.
 */
public record IntervalSchedule(Duration interval, Instant anchor) implements Schedule {

    /** Fire times have whole seconds at best (the punctuation's resolution); a shorter step divides by zero millis. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    public IntervalSchedule {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(anchor, "anchor");
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("must be at least 1 second (PT1S), got " + interval);
        }
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
        if (after.isBefore(anchor)) {
            return Optional.of(anchor);
        }
        long step = interval.toMillis();
        long elapsed = after.toEpochMilli() - anchor.toEpochMilli();
        long periods = Math.floorDiv(elapsed, step) + 1;
        return Optional.of(anchor.plusMillis(Math.multiplyExact(periods, step)));
    }

    @Override
    public boolean recurring() {
        return true;
    }

    @Override
    public String describe() {
        return "every " + Durations.humanize(interval);
    }
}
