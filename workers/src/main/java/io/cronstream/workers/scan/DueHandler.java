package io.cronstream.workers.scan;

import io.cronstream.schemas.DueEvent;

/** Does the work of due events of the job types it handles. */
public interface DueHandler {

    boolean handles(DueEvent due);

    /**
     * Runs the job. Returning means the run reached an end it has reported (completed or failed), so the due
     * event is done with. Throwing means it could not report, and the event should be tried again;
     * {@link InterruptedException} means the worker is stopping and the run will be resumed by whoever
     * gets the event next.
     */
    void handle(DueEvent due) throws InterruptedException;
}
