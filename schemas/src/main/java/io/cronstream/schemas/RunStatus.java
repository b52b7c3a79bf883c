package io.cronstream.schemas;

/** Where a run is: PENDING (due, no progress yet) → RUNNING → COMPLETED | FAILED. */
public enum RunStatus {
    PENDING,
    RUNNING,
    COMPLETED,
    FAILED;

    public boolean terminal() {
        return this == COMPLETED || this == FAILED;
    }
}
