package io.cronstream.schemas;

import java.time.Instant;
import java.util.Objects;

/**
 * One alert on {@code cronstream.alerts} (key jobId): every kind of DESIGN §12, at most one per kind per run,
 * for notifiers and people.
 *
 * @param runId   the run it is about; null for a job-level alert (PAUSED)
 * @param attempt the run's attempt (1 for a first try), when it is about a run
 */
public record Alert(AlertKind kind, String jobId, String runId, Integer attempt, Instant at, String message) {

    public static final int MAX_MESSAGE = 2000;

    public Alert {
        Checks.required(kind, "kind");
        jobId = Checks.requireId(jobId, "jobId", StageProgressEvent.MAX_RUN_ID);
        runId = Checks.optionalId(runId, "runId", StageProgressEvent.MAX_RUN_ID);
        if (attempt != null && attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1");
        }
        Checks.time(at, "at");
        message = TextBudget.fit(Objects.requireNonNullElse(message, kind.name()), MAX_MESSAGE);
    }

    /** The one line a chat channel shows: {@code [FAILED] job nightly-report, run ... (attempt 2): why}. */
    public String text() {
        StringBuilder text = new StringBuilder("[").append(kind).append("] job ").append(jobId);
        if (runId != null) {
            text.append(", run ").append(runId);
        }
        if (attempt != null && attempt > 1) {
            text.append(" (attempt ").append(attempt).append(')');
        }
        return text.append(": ").append(message).toString();
    }
}
