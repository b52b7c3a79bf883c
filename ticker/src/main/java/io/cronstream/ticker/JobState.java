package io.cronstream.ticker;

import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.OverlapPolicy;
import java.time.Instant;

/**
 * The value in {@code ticker-jobs}: a definition and where its schedule stands.
 *
 * @param lastScheduledFor the last fire time the ticker dealt with (fired or skipped); next times
 *                         chain from it, never from "now", so a restart cannot fire a time twice
 * @param fireCount        scheduled fires emitted, for {@code maxRuns}
 * @param lastTriggeredAt  {@code requestedAt} of the last manual trigger
 * @param activeRunId      for an overlap-SKIP job, its run not ended yet (PENDING or RUNNING, or a retry waiting for
 *                         its backoff: a run and its retries are one run to the overlap policy); only ever a run the
 *                         ticker made and has not heard the end of. Which runs were made is {@link MadeRuns}'
 * @param failures         consecutive failed runs and the ticker's own pause ({@code pauseOnFailure})
 */
public record JobState(
        JobDefinition definition,
        Instant firstSeenAt,
        Instant updatedAt,
        Instant nextFireAt,
        Instant lastFiredAt,
        Instant lastScheduledFor,
        long fireCount,
        Instant lastTriggeredAt,
        String activeRunId,
        RunFailures failures) {

    public JobState {
        failures = failures == null ? RunFailures.NONE : failures;
    }

    public String jobId() {
        return definition.jobId();
    }

    JobState withDefinition(JobDefinition newDefinition, Instant now, Instant newNextFireAt) {
        return new JobState(newDefinition, firstSeenAt, now, newNextFireAt, lastFiredAt, lastScheduledFor, fireCount,
                lastTriggeredAt, activeRunId, failures);
    }

    /** After a punctuation: {@code lastRunId} is the last run emitted, or null if none was. */
    JobState afterPlan(FirePlan plan, Instant now, String lastRunId) {
        return new JobState(definition, firstSeenAt, updatedAt, plan.next(),
                lastRunId == null ? lastFiredAt : now, plan.lastConsidered(),
                fireCount + plan.fires().size(), lastTriggeredAt, tracked(lastRunId), failures);
    }

    /** Taken off the schedule: the definition is kept with {@code valid=false} and the reason. */
    JobState parked(String why, Instant now) {
        return new JobState(definition.invalid(why), firstSeenAt, now, null, lastFiredAt, lastScheduledFor, fireCount,
                lastTriggeredAt, activeRunId, failures);
    }

    /**
     * After a manual run: it becomes the active run only if none is, so a manual trigger never frees an
     * overlap-SKIP job whose scheduled run is still going.
     */
    JobState afterTrigger(Instant now, Instant requestedAt, String runId) {
        return new JobState(definition, firstSeenAt, updatedAt, nextFireAt, now, lastScheduledFor, fireCount,
                requestedAt, activeRunId != null ? activeRunId : tracked(runId), failures);
    }

    /** {@code runId} null: no run is active. */
    JobState withActiveRun(String runId) {
        return new JobState(definition, firstSeenAt, updatedAt, nextFireAt, lastFiredAt, lastScheduledFor, fireCount,
                lastTriggeredAt, runId, failures);
    }

    /** Whether a new fire must wait for {@link #activeRunId} to finish. */
    boolean blockedByActiveRun() {
        return definition.overlapPolicy() == OverlapPolicy.SKIP && activeRunId != null;
    }

    /** Only SKIP-overlap jobs need to know their active run; keep it out of the others' state. */
    private String tracked(String newRunId) {
        if (definition.overlapPolicy() != OverlapPolicy.SKIP) {
            return null;
        }
        return newRunId != null ? newRunId : activeRunId;
    }

    public static JobState first(JobDefinition definition, Instant now, Instant nextFireAt) {
        return new JobState(definition, now, now, nextFireAt, null, null, 0, null, null, RunFailures.NONE);
    }

    // --- failure handling (DESIGN §12): retries and pauseOnFailure ---

    /** After a retry fired: like a manual run, it becomes the active run only if none is. */
    JobState afterRetry(Instant now, String runId) {
        return new JobState(definition, firstSeenAt, updatedAt, nextFireAt, now, lastScheduledFor, fireCount,
                lastTriggeredAt, activeRunId != null ? activeRunId : tracked(runId), failures);
    }

    /** {@code newNextFireAt}: null when the change pauses the job (the caller moves the index entry). */
    JobState withFailures(RunFailures newFailures, Instant newNextFireAt) {
        return new JobState(definition, firstSeenAt, updatedAt, newNextFireAt, lastFiredAt, lastScheduledFor,
                fireCount, lastTriggeredAt, activeRunId, newFailures);
    }

    /** Whether the ticker paused the job itself ({@code pauseOnFailure}); no scheduled fire until it ends. */
    public boolean autoPaused() {
        return failures.autoPause() != null;
    }

    /**
     * The pause the job is under, for the API: the ticker's own pause ({@code pausedBy: cronstream}) while it lasts,
     * else the definition's (null: not paused).
     */
    public JobDefinition.Pause effectivePause() {
        return autoPaused() ? failures.autoPause().asPause() : definition.pause();
    }

    /** Whether a fire (a retry) may go out now: valid, enabled, and under no pause that lasts past {@code now}. */
    boolean mayFireAt(Instant now) {
        JobDefinition.Pause pause = effectivePause();
        return definition.valid() && definition.enabled() && (pause == null || pause.until() != null
                && !pause.until().isAfter(now));
    }
}
