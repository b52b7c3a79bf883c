package io.cronstream.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * At most one trigger per job per interval. Kept by the instance that owns the job (triggers are
 * routed there), so the limit holds across instances; a rebalance may forget it, which errs on the
 * side of letting one more trigger through.
 */
final class TriggerLimiter {

    /** Beyond this many remembered jobs, expired entries are dropped so the map cannot grow without bound. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Duration interval;
    private final Clock clock;
    private final ConcurrentMap<String, Instant> lastAccepted = new ConcurrentHashMap<>();

    TriggerLimiter(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** Takes the job's slot and returns when it was taken, or throws 429 with how long to wait. */
    Instant acquire(String jobId) {
        Instant now = clock.instant();
        Instant[] blockedSince = new Instant[1];
        lastAccepted.compute(jobId, (id, last) -> {
            if (last != null && now.isBefore(last.plus(interval))) {
                blockedSince[0] = last;
                return last;
            }
            return now;
        });
        if (blockedSince[0] != null) {
            Duration wait = Duration.between(now, blockedSince[0].plus(interval));
            throw ApiException.tooManyRequests("job was triggered less than " + interval.toSeconds()
                    + " s ago; at most one trigger per job per " + interval.toSeconds() + " s", wait);
        }
        if (lastAccepted.size() > PRUNE_ABOVE) {
            lastAccepted.values().removeIf(at -> !now.isBefore(at.plus(interval)));
        }
        return now;
    }

    /** Gives the slot back when the trigger could not be written. */
    void release(String jobId, Instant taken) {
        lastAccepted.remove(jobId, taken);
    }
}
