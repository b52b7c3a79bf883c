package io.cronstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One run in a job's history, as of its latest status transition. Its {@code result} is cut to
 * {@link #MAX_RESULT_BYTES} (a hundred of them share one history record); the run itself keeps up to 16 KB.
 */
public record RunHistoryItem(
        String runId,
        RunStatus status,
        boolean stuck,
        Trigger trigger,
        String triggeredBy,
        Instant scheduledFor,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Long durationMs,
        long itemsProcessed,
        long itemsSucceeded,
        long itemsFailed,
        String message,
        Integer attempt,
        String failureReason,
        String error,
        JsonNode result) {

    public static final int MAX_RESULT_BYTES = 1024;

    public RunHistoryItem {
        Objects.requireNonNull(runId, "runId is required");
        Objects.requireNonNull(status, "status is required");
        Objects.requireNonNull(createdAt, "createdAt is required");
        result = RunResults.fit(result, MAX_RESULT_BYTES);
    }

    /** This item with its free text replaced, e.g. cut to fit a history's {@link TextBudget}. */
    public RunHistoryItem withTexts(String newTriggeredBy, String newMessage) {
        return new RunHistoryItem(runId, status, stuck, trigger, newTriggeredBy, scheduledFor, createdAt, startedAt,
                completedAt, durationMs, itemsProcessed, itemsSucceeded, itemsFailed, newMessage, attempt, failureReason,
                error, result);
    }

    public static RunHistoryItem of(RunSnapshot run) {
        Instant began = run.startedAt() != null ? run.startedAt() : run.createdAt();
        Long durationMs = run.completedAt() == null ? null
                : Math.max(0, Duration.between(began, run.completedAt()).toMillis());
        return new RunHistoryItem(run.runId(), run.status(), run.stuck(), run.trigger(), run.triggeredBy(),
                run.scheduledFor(), run.createdAt(), run.startedAt(), run.completedAt(), durationMs,
                run.itemsProcessed(), run.itemsSucceeded(), run.itemsFailed(), run.message(), run.attempt(),
                run.failureReason(), run.error(), run.result());
    }
}
