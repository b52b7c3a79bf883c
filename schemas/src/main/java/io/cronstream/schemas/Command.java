package io.cronstream.schemas;

import java.time.Instant;
import java.util.Objects;

/**
 * A request to the ticker, keyed by job id. A manual run is named after {@code requestedAt}, so a
 * command redelivered after a crash names the same run.
 *
 * @param runId  for RUN_FINISHED: the run that finished
 * @param status for RUN_FINISHED: how it finished (COMPLETED or FAILED)
 */
public record Command(
        CommandType type,
        String jobId,
        String triggeredBy,
        Instant requestedAt,
        String runId,
        String status) {

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
        if (type == CommandType.RUN_FINISHED) {
            DueEvent.requireText(runId, "runId");
        }
    }

    public static Command trigger(String jobId, String triggeredBy, Instant requestedAt) {
        return new Command(CommandType.TRIGGER, jobId, triggeredBy, requestedAt, null, null);
    }

    public static Command runFinished(String jobId, String runId, String status, Instant at) {
        return new Command(CommandType.RUN_FINISHED, jobId, null, at, runId, status);
    }
}
