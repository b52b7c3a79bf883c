package io.cronstream.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * At most one trigger per job per interval. Kept by the instance that owns the job (triggers are
 * routed there), so the limit holds across instances; a rebalance may forget it, which errs on the
 * side of letting one more trigger through.
 *
 * <p>A slot is never given back: a command whose write timed out may still have been written. Instead the
 * request that retries it gets the same slot, so it writes the same command and names the same run:
 * a request with the same idempotency key at any time in the interval, a request without a key while the
 * slot's own keyless command is not known to be written.
 */
final class TriggerLimiter {

    /** Beyond this many remembered jobs, expired entries are dropped so the map cannot grow without bound. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Duration interval;
    private final Clock clock;
    private final ConcurrentMap<String, Slot> lastAccepted = new ConcurrentHashMap<>();

    /**
     * A job's slot.
     *
     * @param takenAt   when, in millis (the run id of a keyless trigger is named by it)
     * @param requestId the idempotency key of the request that took it, or null
     * @param written   whether its command is known to be written
     */
    record Slot(Instant takenAt, String requestId, boolean written) {
    }

    TriggerLimiter(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** Takes the job's slot, or the slot of the request this one retries; throws 429 with how long to wait. */
    Slot acquire(String jobId, String requestId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Slot[] result = new Slot[1];
        Slot[] blocking = new Slot[1];
        lastAccepted.compute(jobId, (id, last) -> {
            if (last != null && now.isBefore(last.takenAt().plus(interval))) {
                boolean retry = Objects.equals(requestId, last.requestId()) && (requestId != null || !last.written());
                if (retry) {
                    result[0] = last;
                } else {
                    blocking[0] = last;
                }
                return last;
            }
            result[0] = new Slot(now, requestId, false);
            return result[0];
        });
        if (blocking[0] != null) {
            Duration wait = Duration.between(now, blocking[0].takenAt().plus(interval));
            throw ApiException.tooManyRequests("job was triggered less than " + interval.toSeconds()
                    + " s ago; at most one trigger per job per " + interval.toSeconds() + " s", wait);
        }
        if (lastAccepted.size() > PRUNE_ABOVE) {
            lastAccepted.values().removeIf(slot -> !now.isBefore(slot.takenAt().plus(interval)));
        }
        return result[0];
    }

    /** The slot's command is written: a keyless request in the rest of the interval is a new trigger (429). */
    void written(String jobId, Slot slot) {
        lastAccepted.replace(jobId, slot, new Slot(slot.takenAt(), slot.requestId(), true));
    }
}
