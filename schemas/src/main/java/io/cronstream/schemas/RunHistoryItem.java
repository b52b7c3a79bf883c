package io.cronstream.schemas;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** One run in a job's history, as of its latest status transition. */
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
        String message) {

    public RunHistoryItem {
        Objects.requireNonNull(runId, "runId is required");
        Objects.requireNonNull(status, "status is required");
        Objects.requireNonNull(createdAt, "createdAt is required");
    }

    /** This item with its free text replaced, e.g. cut to fit a history's {@link TextBudget}. */
    public RunHistoryItem withTexts(String newTriggeredBy, String newMessage) {
        return new RunHistoryItem(runId, status, stuck, trigger, newTriggeredBy, scheduledFor, createdAt, startedAt,
                completedAt, durationMs, itemsProcessed, itemsSucceeded, itemsFailed, newMessage);
    }

    public static RunHistoryItem of(RunSnapshot run) {
        Instant began = run.startedAt() != null ? run.startedAt() : run.createdAt();
        Long durationMs = run.completedAt() == null ? null
                : Math.max(0, Duration.between(began, run.completedAt()).toMillis());
        return new RunHistoryItem(run.runId(), run.status(), run.stuck(), run.trigger(), run.triggeredBy(),
                run.scheduledFor(), run.createdAt(), run.startedAt(), run.completedAt(), durationMs,
                run.itemsProcessed(), run.itemsSucceeded(), run.itemsFailed(), run.message());
    }
}
