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

    public IntervalSchedule {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(anchor, "anchor");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
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
