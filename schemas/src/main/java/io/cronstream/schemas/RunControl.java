package io.cronstream.schemas;

import java.time.Instant;

/**
 * A request to the workers of one run on {@code cronstream.run-control} (key runId). Workers may honour it; the
 * run's status does not wait for them (a CANCEL follows the run's TIMED_OUT failure).
 *
 * @param reason why, for the worker's log and its RUN_FAILED report
 */
public record RunControl(Type type, String runId, String jobId, String reason, Instant at) {

    public enum Type {
        /** Stop the run: it timed out or an operator cancelled it. */
        CANCEL
    }

    public RunControl {
        Checks.required(type, "type");
        runId = Checks.requireId(runId, "runId", StageProgressEvent.MAX_RUN_ID);
        jobId = Checks.optionalId(jobId, "jobId", StageProgressEvent.MAX_RUN_ID);
        reason = Checks.optionalText(reason, "reason", Alert.MAX_MESSAGE);
        Checks.time(at, "at");
    }

    public static RunControl cancel(String runId, String jobId, String reason, Instant at) {
        return new RunControl(Type.CANCEL, runId, jobId, reason, at);
    }
}
