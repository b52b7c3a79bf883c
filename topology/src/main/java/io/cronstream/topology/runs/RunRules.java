package io.cronstream.topology.runs;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.StageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How events change a run (DESIGN §6). Pure: no stores, no clock but the {@code now} passed in, so that
 * replaying absolute counts gives the same state.
 */
final class RunRules {

    private RunRules() {
    }

    /** Why a well-formed event still cannot apply to this run, if it cannot. */
    static Optional<String> rejection(RunDraft run, StageProgressEvent event, int maxStagesPerRun) {
        if (!event.kind().aboutStage()) {
            return Optional.empty();
        }
        StageDraft stage = run.stages.get(event.stage());
        if (stage == null && run.stages.size() >= maxStagesPerRun) {
            return Optional.of("run " + run.runId + " already has " + maxStagesPerRun + " stages, the most a run may have");
        }
        Long total = event.total() != null ? event.total() : stage == null ? null : stage.total;
        long absolute = (event.completed() == null ? 0 : event.completed()) + (event.failed() == null ? 0 : event.failed());
        if (event.hasAbsoluteCounts() && total != null && absolute > total) {
            return Optional.of("completed + failed (" + absolute + ") exceeds the total (" + total + ") of stage '"
                    + event.stage() + "'");
        }
        return Optional.empty();
    }

    /** A due event names the run's job and why it runs; it does not start the run. */
    static void applyDue(RunDraft run, DueEvent due, Duration stuckAfter, Duration failAfter, Instant now) {
        run.jobId = firstKnown(run.jobId, due.jobId());
        run.jobType = firstKnown(run.jobType, due.jobType());
        run.trigger = due.trigger();
        run.triggeredBy = due.triggeredBy();
        run.scheduledFor = due.scheduledFor();
        run.stuckAfter = stuckAfter;
        run.failAfter = failAfter;
        run.overlapPolicy = due.overlapPolicy();
        run.updatedAt = now;
    }

    /**
     * Applies a worker's event. Any event is activity: it ends a stall. A finished run keeps its status;
     * late events still update its stage counts, so the numbers stay true.
     */
    static void applyProgress(RunDraft run, StageProgressEvent event, Instant now) {
        run.jobId = firstKnown(run.jobId, event.jobId());
        run.jobType = firstKnown(run.jobType, event.jobType());
        run.updatedAt = now;
        run.lastEventAt = latest(run.lastEventAt, event.at());
        if (event.kind().aboutStage()) {
            applyToStage(run.stage(event.stage()), event);
        }
        if (run.status.terminal()) {
            return;
        }
        run.lastActivityAt = now;
        run.stuck = false;
        run.stuckSince = null;
        switch (event.kind()) {
            case HEARTBEAT -> {
                // proves liveness only
            }
            case RUN_COMPLETED -> finish(run, RunStatus.COMPLETED, event.at(), event.message());
            case RUN_FAILED -> finish(run, RunStatus.FAILED, event.at(), event.message());
            default -> {
                start(run, event.at());
                completeIfAllStagesAre(run, event.at());
            }
        }
    }

    /** Adds work to the run's stages. A finished run takes no new work: nothing would do it. */
    static boolean applyWork(RunDraft run, RunWork work, Instant now) {
        if (run.status.terminal()) {
            return false;
        }
        for (Map.Entry<String, Long> added : work.addedTotals().entrySet()) {
            StageDraft stage = run.stage(added.getKey());
            stage.total(saturatedAdd(stage.total == null ? 0 : stage.total, added.getValue()));
        }
        run.updatedAt = now;
        return true;
    }

    /** Flags a stall: {@code stuckSince} is when the run crossed its threshold, whenever the scan noticed. */
    static void markStuck(RunDraft run, Instant now) {
        run.stuck = true;
        run.stuckSince = run.lastActivityAt.plus(run.stuckAfter);
        run.updatedAt = now;
    }

    /** True once a stall has lasted longer than the run's failAfter. */
    static boolean stalledTooLong(RunDraft run, Instant now) {
        return run.failAfter != null && now.isAfter(run.lastActivityAt.plus(run.failAfter));
    }

    static void failStalled(RunDraft run, Instant now) {
        run.status = RunStatus.FAILED;
        run.completedAt = now;
        run.stuck = false;
        run.stuckSince = null;
        run.message = "no activity for " + Duration.between(run.lastActivityAt, now) + " (failAfter " + run.failAfter + ")";
        run.updatedAt = now;
    }

    private static void applyToStage(StageDraft stage, StageProgressEvent event) {
        if (event.total() != null) {
            stage.total(event.total());
        }
        stage.completed = event.completed() != null ? event.completed()
                : saturatedAdd(stage.completed, event.completedIncrement());
        if (event.failed() != null) {
            stage.failed = event.failed();
        }
        if (event.message() != null) {
            stage.message = event.message();
        }
        switch (event.kind()) {
            case STAGE_STARTED -> {
                // a failed stage that starts again is a retry
                if (stage.status == StageStatus.FAILED) {
                    stage.status = StageStatus.RUNNING;
                    stage.completedAt = null;
                }
                stage.start(event.at());
            }
            case STAGE_COMPLETED -> stage.finish(StageStatus.COMPLETED, event.at());
            case STAGE_FAILED -> stage.finish(StageStatus.FAILED, event.at());
            default -> stage.start(event.at());
        }
        stage.settle(event.at());
    }

    private static void start(RunDraft run, Instant at) {
        if (run.startedAt == null) {
            run.startedAt = at;
        }
        run.status = RunStatus.RUNNING;
    }

    private static void finish(RunDraft run, RunStatus end, Instant at, String message) {
        if (run.startedAt == null) {
            run.startedAt = at;
        }
        run.status = end;
        run.completedAt = at;
        if (message != null) {
            run.message = message;
        }
    }

    /** A run completes when every stage it has is complete and none is open (DESIGN §6). */
    private static void completeIfAllStagesAre(RunDraft run, Instant at) {
        if (!run.stages.isEmpty()
                && run.stages.values().stream().allMatch(stage -> stage.status == StageStatus.COMPLETED)) {
            finish(run, RunStatus.COMPLETED, at, null);
        }
    }

    private static String firstKnown(String current, String offered) {
        return current != null ? current : offered;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
