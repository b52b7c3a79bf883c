package io.cronstream.ticker.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A schedule inside its window: first fire at or after {@code startAt}, none after {@code endAt}, at most {@code maxRuns}. */
public record JobSchedule(Schedule schedule, Instant startAt, Instant endAt, Long maxRuns) {

    public JobSchedule {
        Objects.requireNonNull(schedule, "schedule");
    }

    /** The fire after {@code after}, given how many fires were already emitted. */
    public Optional<Instant> nextAfter(Instant after, long firesSoFar) {
        if (maxRuns != null && firesSoFar >= maxRuns) {
            return Optional.empty();
        }
        Instant base = after;
        if (startAt != null && base.isBefore(startAt)) {
            base = startAt.minusNanos(1);
        }
        return schedule.nextAfter(base).filter(t -> endAt == null || !t.isAfter(endAt));
    }

    /**
     * The first fire when a job is registered, rescheduled or re-enabled: recurring schedules owe
     * nothing before {@code now}; a one-off time that has not fired is still owed.
     */
    public Optional<Instant> firstFire(Instant now, Instant lastScheduledFor, long firesSoFar) {
        Instant base;
        if (schedule.recurring()) {
            base = lastScheduledFor != null && lastScheduledFor.isAfter(now) ? lastScheduledFor : now;
        } else {
            base = lastScheduledFor != null ? lastScheduledFor : Instant.MIN;
        }
        return nextAfter(base, firesSoFar);
    }

    /** Up to {@code count} fire times starting with {@code first}, chained as the ticker chains them. */
    public List<Instant> upcoming(Instant first, long firesSoFar, int count) {
        List<Instant> times = new ArrayList<>(count);
        Instant next = first;
        while (next != null && times.size() < count) {
            times.add(next);
            next = nextAfter(next, firesSoFar + times.size()).orElse(null);
        }
        return times;
    }
}
