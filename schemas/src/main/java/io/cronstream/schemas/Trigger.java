package io.cronstream.schemas;

/** Why a due event was emitted. */
public enum Trigger {
    /** The fire time came while the ticker was running. */
    SCHEDULE,
    /** A fire time that passed while nothing ran, emitted late under the job's misfire policy. */
    CATCHUP,
    /** An admin asked for a run now. */
    MANUAL,
    /** A failed (or timed-out) run tried again under the job's retry policy. */
    RETRY,
    /** A run of a job this one names in {@code after} ended with the named outcome. */
    AFTER
}
