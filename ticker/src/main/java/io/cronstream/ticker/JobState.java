package io.cronstream.ticker;

import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.OverlapPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The value in {@code ticker-jobs}: a definition and where its schedule stands.
 *
 * @param lastScheduledFor the last fire time the ticker dealt with (fired or skipped); next times
 *                         chain from it, never from "now", so a restart cannot fire a time twice
 * @param fireCount        scheduled fires emitted, for {@code maxRuns}
 * @param lastTriggeredAt  {@code requestedAt} of the last manual trigger
 * @param activeRunId      the job's run that is still PENDING or RUNNING, for the overlap policy
 * @param recentManualRuns the last manual runs made, so a redelivered command or a retried request fires once
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
        List<String> recentManualRuns) {

    /** Retries come within minutes, and the API lets one trigger per job per minute through. */
    static final int RECENT_MANUAL_RUNS = 32;

    public JobState {
        recentManualRuns = recentManualRuns == null ? List.of() : List.copyOf(recentManualRuns);
    }

    public String jobId() {
        return definition.jobId();
    }

    JobState withDefinition(JobDefinition newDefinition, Instant now, Instant newNextFireAt) {
        return new JobState(newDefinition, firstSeenAt, now, newNextFireAt, lastFiredAt, lastScheduledFor, fireCount,
                lastTriggeredAt, activeRunId, recentManualRuns);
    }

    /** After a punctuation: {@code lastRunId} is the last run emitted, or null if none was. */
    JobState afterPlan(FirePlan plan, Instant now, String lastRunId) {
        return new JobState(definition, firstSeenAt, updatedAt, plan.next(),
                lastRunId == null ? lastFiredAt : now, plan.lastConsidered(),
                fireCount + plan.fires().size(), lastTriggeredAt, tracked(lastRunId), recentManualRuns);
    }

    /** Taken off the schedule: the definition is kept with {@code valid=false} and the reason. */
    JobState parked(String why, Instant now) {
        return new JobState(definition.invalid(why), firstSeenAt, now, null, lastFiredAt, lastScheduledFor, fireCount,
                lastTriggeredAt, activeRunId, recentManualRuns);
    }

    /**
     * After a manual run: it becomes the active run only if none is, so a manual trigger never frees an
     * overlap-SKIP job whose scheduled run is still going.
     */
    JobState afterTrigger(Instant now, Instant requestedAt, String runId) {
        List<String> recent = new ArrayList<>(recentManualRuns);
        recent.add(runId);
        return new JobState(definition, firstSeenAt, updatedAt, nextFireAt, now, lastScheduledFor, fireCount,
                requestedAt, activeRunId != null ? activeRunId : tracked(runId),
                recent.subList(Math.max(0, recent.size() - RECENT_MANUAL_RUNS), recent.size()));
    }

    boolean madeManualRun(String runId) {
        return recentManualRuns.contains(runId);
    }

    JobState withActiveRun(String runId) {
        return new JobState(definition, firstSeenAt, updatedAt, nextFireAt, lastFiredAt, lastScheduledFor, fireCount,
                lastTriggeredAt, runId, recentManualRuns);
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
        return new JobState(definition, now, now, nextFireAt, null, null, 0, null, null, List.of());
    }
}
