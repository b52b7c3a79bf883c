package io.cronstream.schemas;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * On {@code cronstream.stuck-runs} (key runId): one STUCK record per stall of a PENDING/RUNNING run,
 * and one RECOVERED record when its events resume. {@code stuckSince} is when the run crossed
 * {@code stuckAfter}; for RECOVERED, {@code lastActivityAt} is the event that ended the stall.
 */
public record StuckAlert(
        String runId,
        String jobId,
        AlertKind kind,
        Instant stuckSince,
        Instant lastActivityAt,
        Instant detectedAt,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration stuckAfter) {

    public StuckAlert {
        Checks.requireId(runId, "runId", StageProgressEvent.MAX_RUN_ID);
        Objects.requireNonNull(kind, "kind is required");
        Objects.requireNonNull(stuckSince, "stuckSince is required");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt is required");
        Objects.requireNonNull(detectedAt, "detectedAt is required");
        Objects.requireNonNull(stuckAfter, "stuckAfter is required");
    }
}
