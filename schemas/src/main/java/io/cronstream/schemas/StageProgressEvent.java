package io.cronstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
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
        String eventId,
        JsonNode result,
        String error) {

    public static final int MAX_RUN_ID = 512;
    public static final int MAX_NAME = 200;
    public static final int MAX_MESSAGE = 2000;
    /** A RUN_COMPLETED's result is kept up to this many bytes of JSON; a larger one is cut and says so. */
    public static final int MAX_RESULT_BYTES = 16 * 1024;
    /** A RUN_FAILED's error is kept up to this many bytes; a longer one is cut and says so. */
    public static final int MAX_ERROR_BYTES = 2 * 1024;

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
        if (result != null && result.isNull()) {
            result = null;
        }
        if (result != null && (kind != ProgressKind.RUN_COMPLETED || !result.isObject())) {
            throw new IllegalArgumentException("result is a JSON object, only on RUN_COMPLETED");
        }
        result = RunResults.fit(result, MAX_RESULT_BYTES);
        if (error != null && kind != ProgressKind.RUN_FAILED) {
            throw new IllegalArgumentException("error is only allowed on RUN_FAILED, not on " + kind);
        }
        error = error == null ? null : TextBudget.fit(error, MAX_ERROR_BYTES);
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

    /** An event without a result or an error (every kind but the run's end may carry neither). */
    public StageProgressEvent(String runId, String jobId, String jobType, String stage, ProgressKind kind, Long total,
            Long increment, Long completed, Long failed, String message, Instant at, String eventId) {
        this(runId, jobId, jobType, stage, kind, total, increment, completed, failed, message, at, eventId, null, null);
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
