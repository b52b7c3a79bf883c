package io.cronstream.schemas;

/**
 * What an alert on {@code cronstream.alerts} says (DESIGN §12). {@code cronstream.stuck-runs} carries STUCK and
 * RECOVERED only, as it always has.
 */
public enum AlertKind {
    /** A run was flagged stuck: no event for longer than its stuckAfter. */
    STUCK,
    /** A stuck run's events resumed. */
    RECOVERED,
    /** A run ended FAILED (retries may follow). */
    FAILED,
    /** A run failed and its job's retry policy has no attempt left. */
    RETRY_EXHAUSTED,
    /** A run was still going at its runTimeout: failed, and a CANCEL went to its workers. */
    TIMED_OUT,
    /** No worker event followed a due event within the job's startDeadline. */
    MISSED,
    /** The job paused itself after pauseOnFailure consecutive failed runs. */
    PAUSED
}
