package io.cronstream.schemas;

/** What a stage-progress event reports (DESIGN §6). */
public enum ProgressKind {
    RUN_STARTED(false),
    /** Starts a stage; {@code total} sets how many items it has. */
    STAGE_STARTED(true),
    /** {@code increment} more items done (default 1), or absolute {@code completed} / {@code failed}. */
    PROGRESS(true),
    STAGE_COMPLETED(true),
    STAGE_FAILED(true),
    RUN_COMPLETED(false),
    RUN_FAILED(false),
    /** Changes nothing; proves the worker is alive. */
    HEARTBEAT(false);

    private final boolean aboutStage;

    ProgressKind(boolean aboutStage) {
        this.aboutStage = aboutStage;
    }

    /** Kinds that name a stage, and the only kinds that may carry counts. */
    public boolean aboutStage() {
        return aboutStage;
    }
}
