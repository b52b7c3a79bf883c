package io.cronstream.ticker;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.Command;
import io.cronstream.streams.DeadLetters;
import io.cronstream.schemas.DueEvent;
import io.cronstream.streams.PromptCommits;
import io.cronstream.streams.Routed;
import io.cronstream.schemas.Trigger;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.OverlapPolicy;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What the ticker's processors send downstream: due events (one record, one metric, one log line
 * per fire), commands for other jobs, alerts, job-graph edges, and dead letters for input they cannot use.
 */
final class Emitter {

    private final ProcessorContext<String, Routed<TickerOutput>> context;
    private final TickerMetrics metrics;
    private final ChainedJobs chained;
    /** Due events, chained commands and alerts are waited for: committed soon, not at the next commit interval. */
    private final PromptCommits commits;
    /** Due events emitted since {@link #takeFires}, for the punctuation's summary line. */
    private int fires;

    Emitter(ProcessorContext<String, Routed<TickerOutput>> context, TickerMetrics metrics, ChainedJobs chained) {
        this.context = context;
        this.metrics = metrics;
        this.chained = chained;
        this.commits = PromptCommits.schedule(context);
    }

    /** Emits one due event for a fire time and returns its run id. */
    String emit(JobDefinition job, Instant scheduledFor, Trigger trigger, String triggeredBy, Instant now, Instant next) {
        String runId = DueEvent.runIdFor(job.jobId(), scheduledFor);
        emit(job, runId, scheduledFor, trigger, triggeredBy, now, next);
        return runId;
    }

    /** Emits one due event for the named run. */
    void emit(JobDefinition job, String runId, Instant scheduledFor, Trigger trigger, String triggeredBy, Instant now,
            Instant next) {
        emit(job, runId, scheduledFor, trigger, triggeredBy, now, next, 1, null);
    }

    /** Emits one due event for attempt {@code attempt} of a run ({@code retryOf}: the failed run it retries). */
    void emit(JobDefinition job, String runId, Instant scheduledFor, Trigger trigger, String triggeredBy, Instant now,
            Instant next, int attempt, String retryOf) {
        DueEvent due = DueEvent.builder(job.jobId(), runId)
                .name(job.name())
                .jobType(job.jobType())
                .payload(job.payload())
                .scheduledFor(scheduledFor)
                .firedAt(now)
                .trigger(trigger)
                .timeZone(job.timeZone())
                .triggeredBy(triggeredBy)
                .stuckAfter(job.stuckAfter())
                .failAfter(job.failAfter())
                .overlapPolicy(job.overlapPolicy().name())
                .attempt(attempt)
                .retryOf(retryOf)
                .runTimeout(job.runTimeout())
                .startDeadline(job.startDeadline())
                .followUp(followUp(job))
                .build();
        publish(job.jobId(), new TickerOutput.Due(due), now.toEpochMilli());
        metrics.fired(trigger, Math.max(0, now.toEpochMilli() - scheduledFor.toEpochMilli()));
        fires++;
        JobLog.fired(job, runId, scheduledFor, trigger.name(), next);
    }

    /** Due events emitted since the last call. */
    int takeFires() {
        int taken = fires;
        fires = 0;
        return taken;
    }

    /** Whether the ticker acts when a run of {@code job} ends, so the progress topology must report it. */
    boolean followUp(JobDefinition job) {
        return job.overlapPolicy() == OverlapPolicy.SKIP || job.retry().retries() || job.pauseOnFailure() != null
                || chained.hasDependents(job.jobId());
    }

    /** Why {@code job} must not fire because of its {@code after} (unknown upstream, cycle); see {@link JobGraph}. */
    Optional<String> chainProblem(JobDefinition job) {
        return chained.problem(job);
    }

    /** A command for another job's ticker task (a chained job's AFTER). */
    void command(Command command, Instant now) {
        publish(command.jobId(), new TickerOutput.Chained(command), now.toEpochMilli());
    }

    /** An alert on the alerts topic. */
    void alert(Alert alert) {
        publish(alert.jobId(), new TickerOutput.Notice(alert), alert.at().toEpochMilli());
    }

    /** Forwards output a reader waits for, and asks for its commit soon. */
    private void publish(String key, TickerOutput output, long timestamp) {
        context.forward(new Record<>(key, Routed.value(output), timestamp));
        commits.soon();
    }

    /** An edge of the job graph: {@code value} null removes it. */
    void graphEdge(String edgeKey, String value, Instant now) {
        context.forward(new Record<>(edgeKey, Routed.value(new TickerOutput.GraphEdge(value)), now.toEpochMilli()));
    }

    void deadLetter(Record<byte[], byte[]> input, String reason) {
        metrics.deadLetter();
        context.forward(DeadLetters.of(context, input, input.key(), reason));
    }
}
