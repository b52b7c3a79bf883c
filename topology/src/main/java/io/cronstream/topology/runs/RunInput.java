package io.cronstream.topology.runs;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.topology.Origin;

/**
 * Everything that changes a run, on one repartition topic keyed by runId, so that one task owns each
 * run whatever the partition counts of the input topics are. Exactly one of due, progress or work is set.
 *
 * @param origin for progress: the record as it arrived, so a stateful rejection can still dead-letter it
 */
public record RunInput(DueEvent due, StageProgressEvent progress, Origin origin, RunWork work) {

    public RunInput {
        int set = (due == null ? 0 : 1) + (progress == null ? 0 : 1) + (work == null ? 0 : 1);
        if (set != 1) {
            throw new IllegalArgumentException("a run input carries exactly one of due, progress or work");
        }
    }

    /** The payload is the workers' business, so it does not travel through the repartition. */
    public static RunInput due(DueEvent due) {
        DueEvent slim = new DueEvent(due.jobId(), due.runId(), due.name(), due.jobType(), null, due.scheduledFor(),
                due.firedAt(), due.trigger(), due.timeZone(), due.triggeredBy(), due.stuckAfter(), due.failAfter(),
                due.overlapPolicy());
        return new RunInput(slim, null, null, null);
    }

    public static RunInput progress(StageProgressEvent event, Origin origin) {
        return new RunInput(null, event, origin, null);
    }

    public static RunInput work(RunWork work) {
        return new RunInput(null, null, null, work);
    }

    public String runId() {
        if (due != null) {
            return due.runId();
        }
        return progress != null ? progress.runId() : work.runId();
    }
}
