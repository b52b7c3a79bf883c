package io.cronstream.ticker.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Fires once, at {@code runAt}. */
public record OnceSchedule(Instant runAt) implements Schedule {

    public OnceSchedule {
        Objects.requireNonNull(runAt, "runAt");
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
        return runAt.isAfter(after) ? Optional.of(runAt) : Optional.empty();
    }

    @Override
    public boolean recurring() {
        return false;
    }

    @Override
    public String describe() {
        return "once at " + runAt;
    }
}
