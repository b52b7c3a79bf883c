package io.cronstream.topology.runs;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.streams.JobPresence;
import io.cronstream.topology.Origin;

/**
 * Everything that changes a run, on one repartition topic keyed by runId, so that one task owns each
 * run whatever the partition counts of the input topics are. Exactly one of due, progress, work or job is set.
 * A job's presence (keyed by jobId) only passes through on its way to the job's history: riding this topic,
 * it reaches the history's repartition with the same partition count as the runs' snapshots.
 *
 * @param origin for progress: the record as it arrived, so a stateful rejection can still dead-letter it
 */
public record RunInput(DueEvent due, StageProgressEvent progress, Origin origin, RunWork work, JobPresence job) {

    public RunInput {
        int set = (due == null ? 0 : 1) + (progress == null ? 0 : 1) + (work == null ? 0 : 1) + (job == null ? 0 : 1);
        if (set != 1) {
            throw new IllegalArgumentException("a run input carries exactly one of due, progress, work or job");
        }
    }

    /** The payload is the workers' business, so it does not travel through the repartition. */
    public static RunInput due(DueEvent due) {
        // every other field (attempt, retryOf, runTimeout, startDeadline, followUp) is the run's business
        return new RunInput(due.with(b -> b.payload(null)), null, null, null, null);
    }

    public static RunInput progress(StageProgressEvent event, Origin origin) {
        return new RunInput(null, event, origin, null, null);
    }

    public static RunInput work(RunWork work) {
        return new RunInput(null, null, null, work, null);
    }

    public static RunInput job(JobPresence presence) {
        return new RunInput(null, null, null, null, presence);
    }

    /** The run this input changes; null for a job's presence, which changes no run. */
    public String runId() {
        if (job != null) {
            return null;
        }
        if (due != null) {
            return due.runId();
        }
        return progress != null ? progress.runId() : work.runId();
    }
}
