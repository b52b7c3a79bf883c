package io.cronstream.app.pipeline;

import io.cronstream.api.PipelineStatus;
import io.cronstream.app.alerts.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When to restart a failed connector: at once the first time, then after each wait of the backoff; once the
 * connector has run for the longest wait, a later failure starts the waits over.
 */
final class Restarts {

    private final Backoff backoff;
    private final Clock clock;
    private int attempts;
    private Instant next = Instant.MIN;
    private Instant runningSince;

    Restarts(Backoff backoff, Clock clock) {
        this.backoff = backoff;
        this.clock = clock;
    }

    /** Whether to restart now, given the state just read; a yes counts as a restart. */
    boolean due(String state) {
        Instant now = clock.instant();
        if (PipelineStatus.RUNNING.equals(state)) {
            if (runningSince == null) {
                runningSince = now;
            }
            if (attempts > 0 && !now.isBefore(runningSince.plus(backoff.max()))) {
                attempts = 0;
                next = Instant.MIN;
            }
            return false;
        }
        runningSince = null;
        if (!PipelineStatus.FAILED.equals(state) || now.isBefore(next)) {
            return false;
        }
        attempts++;
        next = now.plus(waitAfter());
        return true;
    }

    int attempts() {
        return attempts;
    }

    /** The wait after the latest restart. */
    Duration waitAfter() {
        return backoff.after(Math.min(attempts, backoff.attempts()));
    }
}
