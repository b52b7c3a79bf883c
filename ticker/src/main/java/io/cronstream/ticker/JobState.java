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
 * @param lastTriggeredAt  {@code requestedAt} of the last manual trigger, so a redelivered command fires once
 * @param activeRunId      the job's run that is still PENDING or RUNNING, for the overlap policy
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
        String activeRunId) {

    public String jobId() {
        return definition.jobId();
    }

    JobState withDefinition(JobDefinition newDefinition, Instant now, Instant newNextFireAt) {
        return new JobState(newDefinition, firstSeenAt, now, newNextFireAt, lastFiredAt, lastScheduledFor, fireCount,
                lastTriggeredAt, activeRunId);
    }

    /** After a punctuation: {@code lastRunId} is the last run emitted, or null if none was. */
    JobState afterPlan(FirePlan plan, Instant now, String lastRunId) {
        return new JobState(definition, firstSeenAt, updatedAt, plan.next(),
                lastRunId == null ? lastFiredAt : now, plan.lastConsidered(),
                fireCount + plan.fires().size(), lastTriggeredAt, tracked(lastRunId));
    }

    /** Taken off the schedule: the definition is kept with {@code valid=false} and the reason. */
    JobState parked(String why, Instant now) {
        return new JobState(definition.invalid(why), firstSeenAt, now, null, lastFiredAt, lastScheduledFor, fireCount,
                lastTriggeredAt, activeRunId);
    }

    JobState afterTrigger(Instant now, Instant requestedAt, String runId) {
        return new JobState(definition, firstSeenAt, updatedAt, nextFireAt, now, lastScheduledFor, fireCount,
                requestedAt, tracked(runId));
    }

    JobState withActiveRun(String runId) {
        return new JobState(definition, firstSeenAt, updatedAt, nextFireAt, lastFiredAt, lastScheduledFor, fireCount,
                lastTriggeredAt, runId);
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

    static JobState first(JobDefinition definition, Instant now, Instant nextFireAt) {
        return new JobState(definition, now, now, nextFireAt, null, null, 0, null, null);
    }
}
