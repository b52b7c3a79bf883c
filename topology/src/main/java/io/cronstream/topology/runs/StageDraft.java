package io.cronstream.topology.runs;

import io.cronstream.schemas.StageSnapshot;
import io.cronstream.schemas.StageStatus;
import java.time.Instant;

/** A stage being changed: the mutable twin of {@link StageSnapshot}, living only while one record is handled. */
final class StageDraft {

    StageStatus status = StageStatus.PENDING;
    Long total;
    long completed;
    long failed;
    String message;
    Instant startedAt;
    Instant completedAt;

    static StageDraft of(StageSnapshot stage) {
        StageDraft draft = new StageDraft();
        draft.status = stage.status();
        draft.total = stage.total();
        draft.completed = stage.completed();
        draft.failed = stage.failed();
        draft.message = stage.message();
        draft.startedAt = stage.startedAt();
        draft.completedAt = stage.completedAt();
        return draft;
    }

    /** @param fittedMessage this stage's message as it fits the run's text budget */
    StageSnapshot snapshot(String fittedMessage) {
        return new StageSnapshot(status, total, completed, failed, fittedMessage, startedAt, completedAt);
    }

    long done() {
        return completed + failed;
    }

    /** Items still to do, when the stage knows its total. A stage declared complete has nothing left. */
    long remaining() {
        return status == StageStatus.COMPLETED || total == null ? 0 : Math.max(0, total - done());
    }

    void start(Instant at) {
        if (startedAt == null) {
            startedAt = at;
        }
        if (status == StageStatus.PENDING) {
            status = StageStatus.RUNNING;
        }
    }

    void finish(StageStatus end, Instant at) {
        start(at);
        status = end;
        completedAt = at;
    }

    /**
     * Sets a new total. Raising it above what is done reopens a completed stage: more work arrived
     * (e.g. a file change added items), so the stage is not complete any more.
     */
    void total(long value) {
        boolean raised = total == null || value > total;
        total = value;
        if (raised && status == StageStatus.COMPLETED && done() < value) {
            status = StageStatus.RUNNING;
            completedAt = null;
        }
    }

    /** An open stage whose counts reach its total is complete (DESIGN §6). */
    void settle(Instant at) {
        if (status.open() && total != null && done() >= total) {
            finish(StageStatus.COMPLETED, at);
        }
    }
}
