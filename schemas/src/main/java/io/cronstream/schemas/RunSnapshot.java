package io.cronstream.schemas;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one run: the value on {@code cronstream.run-status} (key runId) and in the
 * {@code progress-runs} store, so the API shows exactly what was published.
 *
 * <p>Worker-reported times ({@code startedAt}, {@code completedAt}, {@code lastEventAt}, stage times)
 * come from the events' {@code at}; Cronstream's own clock gives {@code createdAt}, {@code updatedAt},
 * {@code lastActivityAt} (the last stage-progress event seen, what stuck detection watches) and
 * {@code stuckSince} ({@code lastActivityAt + stuckAfter}). {@code percent}, {@code itemsPerSecond} and
 * {@code etaSeconds} are derived from the stage counts and are null while unknown.
 */
public record RunSnapshot(
        String runId,
        String jobId,
        String jobType,
        RunStatus status,
        boolean stuck,
        Instant stuckSince,
        Trigger trigger,
        String triggeredBy,
        Instant scheduledFor,
        Instant createdAt,
        Instant startedAt,
        Instant updatedAt,
        Instant completedAt,
        Instant lastActivityAt,
        Instant lastEventAt,
        Double percent,
        Double itemsPerSecond,
        Long etaSeconds,
        Map<String, StageSnapshot> stages,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration stuckAfter,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration failAfter,
        String message,
        String overlapPolicy) {

    public RunSnapshot {
        Checks.requireId(runId, "runId", StageProgressEvent.MAX_RUN_ID);
        Objects.requireNonNull(status, "status is required");
        Objects.requireNonNull(createdAt, "createdAt is required");
        Objects.requireNonNull(updatedAt, "updatedAt is required");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt is required");
        Objects.requireNonNull(stuckAfter, "stuckAfter is required");
        // Stages keep the order they first appeared in, which is the order a dashboard shows them.
        stages = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(stages, "stages is required")));
    }

    /** Whether the ticker waits for this run to end before firing its job again (overlap policy SKIP). */
    public boolean holdsItsJob() {
        return "SKIP".equals(overlapPolicy);
    }

    /** Items finished, either way, over all stages. */
    public long itemsProcessed() {
        return stages.values().stream().mapToLong(StageSnapshot::done).sum();
    }

    public long itemsSucceeded() {
        return stages.values().stream().mapToLong(StageSnapshot::completed).sum();
    }

    public long itemsFailed() {
        return stages.values().stream().mapToLong(StageSnapshot::failed).sum();
    }
}
