package io.cronstream.schemas;

/** What a command on {@code cronstream.commands} asks the ticker to do. */
public enum CommandType {
    /** Emit a due event for the job now, whatever its schedule says. */
    TRIGGER,
    /**
     * A run of the job reached COMPLETED or FAILED (sent by the progress topology for runs whose due event asked
     * for a follow-up): a job with overlap policy SKIP may fire again, a failed run may be retried, consecutive
     * failures may pause the job, and jobs chained after it may fire.
     */
    RUN_FINISHED,
    /**
     * A run of a job this job names in {@code after} ended with the named outcome (sent by the ticker that owns
     * the upstream job): fire this job once, with trigger AFTER. {@code runId} is the upstream run.
     */
    AFTER
}
