package io.cronstream.topology;

import io.cronstream.schemas.ChangeType;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;

/** Short constructors for the events tests send. */
final class Events {

    private Events() {
    }

    static DueEvent due(String jobId, Instant scheduledFor, Trigger trigger, String triggeredBy) {
        return new DueEvent(jobId, DueEvent.runIdFor(jobId, scheduledFor), "job " + jobId, "collection-scan", null,
                scheduledFor, scheduledFor, trigger, "UTC", triggeredBy, null, null, null);
    }

    /** A due event of a job with the given overlap policy, as the ticker sends it. */
    static DueEvent due(String jobId, Instant scheduledFor, String overlapPolicy) {
        return new DueEvent(jobId, DueEvent.runIdFor(jobId, scheduledFor), "job " + jobId, "collection-scan", null,
                scheduledFor, scheduledFor, Trigger.SCHEDULE, "UTC", null, null, null, overlapPolicy);
    }

    /** A due event carrying the job's own stall thresholds, as the ticker sends them. */
    static DueEvent due(String jobId, Instant scheduledFor, Duration stuckAfter, Duration failAfter) {
        return new DueEvent(jobId, DueEvent.runIdFor(jobId, scheduledFor), "job " + jobId, "collection-scan", null,
                scheduledFor, scheduledFor, Trigger.SCHEDULE, "UTC", null, stuckAfter, failAfter, null);
    }

    /** A scheduled due event with the failure-handling fields {@code edit} sets (runTimeout, startDeadline, ...). */
    static DueEvent due(String jobId, Instant scheduledFor, java.util.function.Consumer<DueEvent.Builder> edit) {
        return due(jobId, scheduledFor, Trigger.SCHEDULE, null).with(edit);
    }

    static StageProgressEvent completed(String runId, com.fasterxml.jackson.databind.JsonNode result, Instant at) {
        return new StageProgressEvent(runId, null, null, null, ProgressKind.RUN_COMPLETED, null, null, null, null, null,
                at, null, result, null);
    }

    static StageProgressEvent failed(String runId, String message, String error, Instant at) {
        return new StageProgressEvent(runId, null, null, null, ProgressKind.RUN_FAILED, null, null, null, null, message,
                at, null, null, error);
    }

    static StageProgressEvent heartbeat(String runId, Instant at) {
        return event(runId, null, ProgressKind.HEARTBEAT, null, null, null, null, at);
    }

    static StageProgressEvent runStarted(String runId, Instant at) {
        return event(runId, null, ProgressKind.RUN_STARTED, null, null, null, null, at);
    }

    static StageProgressEvent stageStarted(String runId, String stage, long total, Instant at) {
        return event(runId, stage, ProgressKind.STAGE_STARTED, total, null, null, null, at);
    }

    static StageProgressEvent increment(String runId, String stage, Instant at) {
        return event(runId, stage, ProgressKind.PROGRESS, null, null, null, null, at);
    }

    static StageProgressEvent increment(String runId, String stage, long by, Instant at) {
        return event(runId, stage, ProgressKind.PROGRESS, null, by, null, null, at);
    }

    static StageProgressEvent absolute(String runId, String stage, Long completed, Long failed, Instant at) {
        return event(runId, stage, ProgressKind.PROGRESS, null, null, completed, failed, at);
    }

    static StageProgressEvent stage(String runId, String stage, ProgressKind kind, Instant at) {
        return event(runId, stage, kind, null, null, null, null, at);
    }

    static StageProgressEvent run(String runId, ProgressKind kind, String message, Instant at) {
        return new StageProgressEvent(runId, null, null, null, kind, null, null, null, null, message, at, null);
    }

    static StageProgressEvent withEventId(StageProgressEvent e, String eventId) {
        return new StageProgressEvent(e.runId(), e.jobId(), e.jobType(), e.stage(), e.kind(), e.total(), e.increment(),
                e.completed(), e.failed(), e.message(), e.at(), eventId);
    }

    static StageProgressEvent withJob(StageProgressEvent e, String jobId) {
        return new StageProgressEvent(e.runId(), jobId, e.jobType(), e.stage(), e.kind(), e.total(), e.increment(),
                e.completed(), e.failed(), e.message(), e.at(), e.eventId());
    }

    static FileChangeEvent change(String libraryId, String path, ChangeType change, String runId, Instant at) {
        return FileChangeEvent.change(libraryId, path, change, null, null, runId, null, null, at);
    }

    static FileChangeEvent renamed(String libraryId, String oldPath, String path, String runId, Instant at) {
        return FileChangeEvent.change(libraryId, path, ChangeType.RENAMED, oldPath, null, runId, null, null, at);
    }

    private static StageProgressEvent event(String runId, String stage, ProgressKind kind, Long total, Long increment,
            Long completed, Long failed, Instant at) {
        return new StageProgressEvent(runId, null, null, stage, kind, total, increment, completed, failed, null, at,
                null);
    }
}
