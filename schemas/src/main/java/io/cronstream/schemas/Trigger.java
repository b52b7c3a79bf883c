package io.cronstream.schemas;

/** Why a due event was emitted. */
public enum Trigger {
    /** The fire time came while the ticker was running. */
    SCHEDULE,
    /** A fire time that passed while nothing ran, emitted late under the job's misfire policy. */
    CATCHUP,
    /** An admin asked for a run now. */
    MANUAL
}
