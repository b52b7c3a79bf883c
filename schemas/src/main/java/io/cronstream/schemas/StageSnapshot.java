package io.cronstream.schemas;

import java.time.Instant;
import java.util.Objects;

/** One stage of a run. {@code total} is null while the stage does not know how many items it has. */
public record StageSnapshot(
        StageStatus status,
        Long total,
        long completed,
        long failed,
        String message,
        Instant startedAt,
        Instant completedAt) {

    public StageSnapshot {
        Objects.requireNonNull(status, "status is required");
        Checks.count(total, "total");
        Checks.count(completed, "completed");
        Checks.count(failed, "failed");
    }

    /** Items finished either way. */
    public long done() {
        return completed + failed;
    }
}
