package io.cronstream.topology.runs;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.StageStatus;
import io.cronstream.topology.stuck.ActivityIndex;
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
            return Optional.of("run " + run.current().runId() + " already has " + maxStagesPerRun
                    + " stages, the most a run may have");
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
        RunSnapshot before = run.current();
        run.change(b -> b.jobId(firstKnown(before.jobId(), due.jobId()))
                .jobType(firstKnown(before.jobType(), due.jobType()))
                .trigger(due.trigger())
                .triggeredBy(due.triggeredBy())
                .scheduledFor(due.scheduledFor())
                .stuckAfter(stuckAfter)
                .failAfter(failAfter)
                .overlapPolicy(due.overlapPolicy())
                .attempt(due.attempt())
                .retryOf(due.retryOf())
                .runTimeout(due.runTimeout())
                .startDeadline(due.startDeadline())
                .followUp(due.followUp())
                .updatedAt(now));
    }

    /**
     * Applies a worker's event. Any event is activity: it ends a stall. A finished run keeps its status;
     * late events still update its stage counts, so the numbers stay true, and the worker's final word is kept (see
     * {@link #keepFinalWord}).
     */
    static void applyProgress(RunDraft run, StageProgressEvent event, Instant now) {
        RunSnapshot before = run.current();
        run.change(b -> b.jobId(firstKnown(before.jobId(), event.jobId()))
                .jobType(firstKnown(before.jobType(), event.jobType()))
                .updatedAt(now)
                .lastEventAt(latest(before.lastEventAt(), event.at())));
        if (event.kind().aboutStage()) {
            applyToStage(run.stage(event.stage()), event);
        }
        if (before.status().terminal()) {
            keepFinalWord(run, before, event);
            return;
        }
        run.change(b -> b.lastActivityAt(now).stuck(false).stuckSince(null));
        switch (event.kind()) {
            case HEARTBEAT -> {
                // proves liveness only
            }
            case RUN_COMPLETED -> {
                finish(run, RunStatus.COMPLETED, event.at(), event.message());
                run.change(b -> b.result(event.result())); // already cut to its 16 KB by the event
            }
            case RUN_FAILED -> {
                finish(run, RunStatus.FAILED, event.at(), event.message());
                run.change(b -> b.error(event.error())); // already cut to its 2 KB by the event
            }
            default -> {
                start(run, before, event.at()); // nothing above changed startedAt or status
                completeIfAllStagesAre(run, event.at());
            }
        }
    }

    /**
     * A run that ended before its worker said so (it completed on its last item, or Cronstream failed it: timed out,
     * stalled) keeps what the worker's RUN_COMPLETED or RUN_FAILED brings when it comes: its result, error and
     * message. Only what the run does not have yet: its status and times stay (the run's end was published and acted
     * on), and the same word delivered again changes nothing.
     */
    private static void keepFinalWord(RunDraft run, RunSnapshot before, StageProgressEvent event) {
        if (event.kind() == ProgressKind.RUN_COMPLETED || event.kind() == ProgressKind.RUN_FAILED) {
            run.change(b -> b.result(firstKnown(before.result(), event.result()))
                    .error(firstKnown(before.error(), event.error()))
                    .message(firstKnown(before.message(), event.message())));
        }
    }

    /** Whether the worker's final word came to a run that had already ended (see {@link #keepFinalWord}). */
    static boolean finalWordArrived(RunSnapshot before, RunSnapshot after) {
        return before.status().terminal() && (before.result() == null && after.result() != null
                || before.error() == null && after.error() != null
                || before.message() == null && after.message() != null);
    }

    /** Adds work to the run's stages. A finished run takes no new work: nothing would do it. */
    static boolean applyWork(RunDraft run, RunWork work, Instant now) {
        if (run.current().status().terminal()) {
            return false;
        }
        for (Map.Entry<String, Long> added : work.addedTotals().entrySet()) {
            StageDraft stage = run.stage(added.getKey());
            stage.total(saturatedAdd(stage.total == null ? 0 : stage.total, added.getValue()));
        }
        run.change(b -> b.updatedAt(now));
        return true;
    }

    /** Why Cronstream itself failed a run (RunSnapshot.failureReason). */
    static final String TIMED_OUT = "TIMED_OUT";
    static final String STALLED = "STALLED";

    /** True once the run's silence is longer than its stuckAfter and it is not flagged yet. */
    static boolean stallBegan(RunDraft run, Instant now) {
        RunSnapshot current = run.current();
        return !current.stuck() && now.isAfter(current.lastActivityAt().plus(current.stuckAfter()));
    }

    /** Flags a stall: {@code stuckSince} is when the run crossed its threshold, whenever the scan noticed. */
    static void markStuck(RunDraft run, Instant now) {
        RunSnapshot before = run.current();
        run.change(b -> b.stuck(true).stuckSince(before.lastActivityAt().plus(before.stuckAfter())).updatedAt(now));
    }

    /** True once a stall has lasted longer than the run's failAfter. */
    static boolean stalledTooLong(RunDraft run, Instant now) {
        RunSnapshot current = run.current();
        return current.stuck() && current.failAfter() != null
                && now.isAfter(current.lastActivityAt().plus(current.failAfter()));
    }

    static void failStalled(RunDraft run, Instant now) {
        RunSnapshot before = run.current();
        run.change(b -> b.status(RunStatus.FAILED).completedAt(now).stuck(false).stuckSince(null)
                .failureReason(STALLED)
                .message("no activity for " + Duration.between(before.lastActivityAt(), now) + " (failAfter "
                        + before.failAfter() + ")")
                .updatedAt(now));
    }

    /** True once an unfinished run has run longer than its runTimeout (DESIGN §12). */
    static boolean timedOut(RunDraft run, Instant now) {
        RunSnapshot current = run.current();
        return !current.status().terminal()
                && ActivityIndex.timeoutDeadline(current).map(now::isAfter).orElse(false);
    }

    /** Fails a run that ran too long; its workers are told to stop (a CANCEL follows the change). */
    static void failTimedOut(RunDraft run, Instant now) {
        RunSnapshot before = run.current();
        Instant began = before.startedAt() != null ? before.startedAt() : before.createdAt();
        run.change(b -> b.status(RunStatus.FAILED).completedAt(now).stuck(false).stuckSince(null)
                .failureReason(TIMED_OUT)
                .message("timed out: not finished " + Duration.between(began, now) + " after its "
                        + (before.startedAt() != null ? "start" : "due event") + " (runTimeout " + before.runTimeout()
                        + "); cancelled")
                .updatedAt(now));
    }

    /** True when no worker event has followed the due event within startDeadline and MISSED is not raised yet. */
    static boolean missedStart(RunDraft run, Instant now) {
        RunSnapshot current = run.current();
        return !current.status().terminal()
                && ActivityIndex.startDeadline(current).map(now::isAfter).orElse(false);
    }

    /** Raises MISSED once: {@code missedAt} takes the run out of the start-deadline watch. */
    static void markMissed(RunDraft run, Instant now) {
        run.change(b -> b.missedAt(now).updatedAt(now));
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

    /** @param before the run as it was: its start and status, which are what this reads */
    private static void start(RunDraft run, RunSnapshot before, Instant at) {
        if (before.status() == RunStatus.RUNNING && before.startedAt() != null) {
            return; // already running: nothing to change
        }
        Instant startedAt = firstKnown(before.startedAt(), at);
        run.change(b -> b.startedAt(startedAt).status(RunStatus.RUNNING));
    }

    private static void finish(RunDraft run, RunStatus end, Instant at, String message) {
        RunSnapshot before = run.current();
        run.change(b -> b.startedAt(firstKnown(before.startedAt(), at)).status(end).completedAt(at)
                .message(firstKnown(message, before.message())));
    }

    /** A run completes when every stage it has is complete and none is open (DESIGN §6). */
    private static void completeIfAllStagesAre(RunDraft run, Instant at) {
        if (run.stages.isEmpty()) {
            return;
        }
        for (StageDraft stage : run.stages.values()) {
            if (stage.status != StageStatus.COMPLETED) {
                return;
            }
        }
        finish(run, RunStatus.COMPLETED, at, null);
    }

    private static <T> T firstKnown(T current, T offered) {
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
