package io.cronstream.schemas;

/** Where a stage is. A stage with work but no progress yet is PENDING. */
public enum StageStatus {
    PENDING,
    RUNNING,
    COMPLETED,
    FAILED;

    /** PENDING and RUNNING stages are open: a run with an open stage is not done. */
    public boolean open() {
        return this == PENDING || this == RUNNING;
    }
}
