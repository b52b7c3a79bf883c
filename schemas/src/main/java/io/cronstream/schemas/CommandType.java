package io.cronstream.schemas;

/** What a command on {@code cronstream.commands} asks the ticker to do. */
public enum CommandType {
    /** Emit a due event for the job now, whatever its schedule says. */
    TRIGGER,
    /**
     * A run of the job reached COMPLETED or FAILED (sent by the progress topology), so a job with
     * overlap policy SKIP may fire again.
     */
    RUN_FINISHED
}
