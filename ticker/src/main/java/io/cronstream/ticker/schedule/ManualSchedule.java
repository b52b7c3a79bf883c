package io.cronstream.ticker.schedule;

import java.time.Instant;
import java.util.Optional;

/** Fires only when an admin triggers it. */
public record ManualSchedule() implements Schedule {

    @Override
    public Optional<Instant> nextAfter(Instant after) {
        return Optional.empty();
    }

    @Override
    public boolean recurring() {
        return false;
    }

    @Override
    public String describe() {
        return "manual trigger only";
    }
}
