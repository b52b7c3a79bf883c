package io.cronstream.workers.scan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import java.time.Clock;

/**
 * Reports one run's progress. Counting events carry an eventId made of the stage and the item's place in the
 * run's work list, which is the same when a run is redone, so the topology can drop what it already counted.
 */
final class ProgressReporter {

    private final RunEvents events;
    private final String runId;
    private final String jobId;
    private final String jobType;
    private final Clock clock;

    ProgressReporter(RunEvents events, String runId, String jobId, String jobType, Clock clock) {
        this.events = events;
        this.runId = runId;
        this.jobId = jobId;
        this.jobType = jobType;
        this.clock = clock;
    }

    static ProgressReporter forRun(RunEvents events, DueEvent due, Clock clock) {
        return new ProgressReporter(events, due.runId(), due.jobId(), due.jobType(), clock);
    }

    void runStarted(String message) {
        send(ProgressKind.RUN_STARTED, null, null, null, null, message, null);
    }

    /** @param total null when others add the work (file changes that name this run) */
    void stageStarted(String stage, Long total, String message) {
        send(ProgressKind.STAGE_STARTED, stage, total, null, null, message, null);
    }

    void itemDone(String stage, int item) {
        send(ProgressKind.PROGRESS, stage, null, 1L, null, null, eventId(stage, item));
    }

    /** @param failedSoFar the stage's failed count including this item: absolute, so it cannot be counted twice */
    void itemFailed(String stage, int item, long failedSoFar, String message) {
        send(ProgressKind.PROGRESS, stage, null, null, failedSoFar, message, eventId(stage, item));
    }

    void stageCompleted(String stage, String message) {
        send(ProgressKind.STAGE_COMPLETED, stage, null, null, null, message, null);
    }

    void stageFailed(String stage, String message) {
        send(ProgressKind.STAGE_FAILED, stage, null, null, null, message, null);
    }

    void runCompleted(String message) {
        runCompleted(message, null);
    }

    /** @param result a small JSON object about what the run did (counts), shown with the run; may be null */
    void runCompleted(String message, ObjectNode result) {
        events.progress(new StageProgressEvent(runId, jobId, jobType, null, ProgressKind.RUN_COMPLETED, null, null,
                null, null, bounded(message), clock.instant(), null, result, null));
    }

    /** The message doubles as the run's {@code error}, which the run and its history keep. */
    void runFailed(String message) {
        runFailed(message, message);
    }

    void runFailed(String message, String error) {
        events.progress(new StageProgressEvent(runId, jobId, jobType, null, ProgressKind.RUN_FAILED, null, null,
                null, null, bounded(message), clock.instant(), null, null, error));
    }

    void heartbeat(String message) {
        send(ProgressKind.HEARTBEAT, null, null, null, null, message, null);
    }

    void flush() {
        events.flush();
    }

    private void send(ProgressKind kind, String stage, Long total, Long increment, Long failed, String message,
            String eventId) {
        events.progress(new StageProgressEvent(runId, jobId, jobType, stage, kind, total, increment, null, failed,
                bounded(message), clock.instant(), eventId));
    }

    private static String eventId(String stage, int item) {
        return stage + ":" + item;
    }

    private static String bounded(String message) {
        return message == null || message.length() <= StageProgressEvent.MAX_MESSAGE ? message
                : message.substring(0, StageProgressEvent.MAX_MESSAGE - 1) + "…";
    }
}
