package io.cronstream.ticker;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;

/**
 * What the ticker's processors send downstream, each to its own topic: due events, commands to other jobs'
 * tickers (a chained job's AFTER), alerts, and the edges of the job graph.
 */
sealed interface TickerOutput {

    /** To {@code cronstream.job-due}, keyed by jobId. */
    record Due(DueEvent event) implements TickerOutput {
    }

    /** To {@code cronstream.commands}, keyed by the command's jobId (so it reaches that job's ticker task). */
    record Chained(Command command) implements TickerOutput {
    }

    /** To {@code cronstream.alerts}, keyed by jobId. */
    record Notice(Alert alert) implements TickerOutput {
    }

    /**
     * To the job-graph topic, keyed by the edge (upstream jobId, NUL, dependent jobId); {@code value} null removes it.
     */
    record GraphEdge(String value) implements TickerOutput {
    }
}
