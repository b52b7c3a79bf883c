package io.cronstream.schemas;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;

/**
 * What a worker reports about a run on {@code cronstream.stage-progress} (key: runId).
 * Counts are either relative ({@code increment}, default 1 for PROGRESS) or absolute
 * ({@code completed}, {@code failed}: replaying them gives the same state). {@code eventId}, when
 * present, lets Cronstream drop a redelivered event instead of counting it twice.
 */
public record StageProgressEvent(
        String runId,
        String jobId,
        String jobType,
        String stage,
        ProgressKind kind,
        @JsonDeserialize(using = WholeNumberDeserializer.class) Long total,
        @JsonDeserialize(using = WholeNumberDeserializer.class) Long increment,
        @JsonDeserialize(using = WholeNumberDeserializer.class) Long completed,
        @JsonDeserialize(using = WholeNumberDeserializer.class) Long failed,
        String message,
        @JsonDeserialize(using = IsoInstantDeserializer.class) Instant at,
        String eventId) {

    public static final int MAX_RUN_ID = 512;
    public static final int MAX_NAME = 200;
    public static final int MAX_MESSAGE = 2000;

    public StageProgressEvent {
        runId = Checks.requireId(runId, "runId", MAX_RUN_ID);
        jobId = Checks.optionalId(jobId, "jobId", MAX_RUN_ID);
        jobType = Checks.optionalId(jobType, "jobType", MAX_NAME);
        Checks.required(kind, "kind");
        stage = kind.aboutStage()
                ? Checks.requireId(stage, "stage (required for " + kind + ")", MAX_NAME)
                : Checks.optionalId(stage, "stage", MAX_NAME);
        total = Checks.count(total, "total");
        increment = Checks.count(increment, "increment");
        completed = Checks.count(completed, "completed");
        failed = Checks.count(failed, "failed");
        message = Checks.optionalText(message, "message", MAX_MESSAGE);
        Checks.time(at, "at");
        eventId = Checks.optionalId(eventId, "eventId", MAX_NAME);
        if (!kind.aboutStage() && (total != null || increment != null || completed != null || failed != null)) {
            throw new IllegalArgumentException("counts (total, increment, completed, failed) are only allowed "
                    + "on stage kinds, not on " + kind);
        }
        if (increment != null && completed != null) {
            throw new IllegalArgumentException("give either increment or absolute completed, not both");
        }
        long absolute = (completed == null ? 0 : completed) + (failed == null ? 0 : failed);
        if (total != null && absolute > total) {
            throw new IllegalArgumentException("completed + failed (" + absolute + ") exceeds total (" + total + ")");
        }
    }

    /** True when the event sets counts outright rather than adding to them. */
    public boolean hasAbsoluteCounts() {
        return completed != null || failed != null;
    }

    /** Items this event adds to {@code completed}: the increment, or 1 for a bare PROGRESS event. */
    public long completedIncrement() {
        if (increment != null) {
            return increment;
        }
        return kind == ProgressKind.PROGRESS && !hasAbsoluteCounts() ? 1 : 0;
    }
}
