package io.cronstream.schemas;

import java.time.Instant;
import java.util.Objects;

/**
 * A request to the ticker, keyed by job id. A manual run is named after the request
 * ({@link #manualRunId()}), so a command redelivered after a crash, or written again by a retried
 * request with the same idempotency key, names the same run.
 *
 * @param runId     for RUN_FINISHED: the run that finished; for AFTER: the upstream run that ended
 * @param status    for RUN_FINISHED and AFTER: how that run finished (COMPLETED or FAILED)
 * @param requestId for TRIGGER: the request's idempotency key; absent, the request is named by
 *                  {@code requestedAt} in epoch millis
 * @param attempt       for RUN_FINISHED: the attempt the run was (1 for a first try)
 * @param failureReason for RUN_FINISHED of a FAILED run: why, e.g. {@code TIMED_OUT} (null: the worker said so)
 */
public record Command(
        CommandType type,
        String jobId,
        String triggeredBy,
        Instant requestedAt,
        String runId,
        String status,
        String requestId,
        Integer attempt,
        String failureReason) {

    public Command {
        Objects.requireNonNull(type, "type is required");
        DueEvent.requireText(jobId, "jobId");
        Checks.time(requestedAt, "requestedAt");
        if (type == CommandType.TRIGGER) {
            triggeredBy = triggeredBy == null || triggeredBy.isBlank() ? "api" : triggeredBy;
            // Counted in characters as JSON Schema's maxLength counts them, not in UTF-16 units.
            if (triggeredBy.codePointCount(0, triggeredBy.length()) > 200) {
                throw new IllegalArgumentException("triggeredBy is longer than 200 characters");
            }
        }
        if (type == CommandType.RUN_FINISHED || type == CommandType.AFTER) {
            DueEvent.requireText(runId, "runId");
        }
        if (type == CommandType.AFTER) {
            DueEvent.requireText(status, "status");
        }
        if (attempt != null && (attempt < 1 || attempt > DueEvent.MAX_ATTEMPTS)) {
            throw new IllegalArgumentException("attempt must be between 1 and " + DueEvent.MAX_ATTEMPTS);
        }
        String problem = DueEvent.requestIdProblem(requestId);
        if (problem != null) {
            throw new IllegalArgumentException("requestId: " + problem);
        }
    }

    public static Command trigger(String jobId, String triggeredBy, Instant requestedAt) {
        return trigger(jobId, triggeredBy, requestedAt, null);
    }

    /** @param requestId the request's idempotency key, or null */
    public static Command trigger(String jobId, String triggeredBy, Instant requestedAt, String requestId) {
        return new Command(CommandType.TRIGGER, jobId, triggeredBy, requestedAt, null, null, requestId, null, null);
    }

    public static Command runFinished(String jobId, String runId, String status, Instant at) {
        return runFinished(jobId, runId, status, at, null, null);
    }

    /** @param failureReason why a FAILED run failed when Cronstream failed it (TIMED_OUT), else null */
    public static Command runFinished(String jobId, String runId, String status, Instant at, Integer attempt,
            String failureReason) {
        return new Command(CommandType.RUN_FINISHED, jobId, null, at, runId, status, null, attempt, failureReason);
    }

    /** Job {@code jobId} runs because {@code upstreamRunId} (a run of a job it is chained after) ended {@code status}. */
    public static Command after(String jobId, String upstreamRunId, String status, Instant at) {
        return new Command(CommandType.AFTER, jobId, upstreamRunId, at, upstreamRunId, status, null, null, null);
    }

    /** For TRIGGER: the run it makes, {@code <jobId>@manual-<requestId or requestedAt millis>}. */
    public String manualRunId() {
        return DueEvent.manualRunIdFor(jobId,
                requestId != null ? requestId : String.valueOf(requestedAt.toEpochMilli()));
    }
}
