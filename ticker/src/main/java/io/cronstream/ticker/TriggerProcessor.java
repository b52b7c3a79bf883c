package io.cronstream.ticker;

import io.cronstream.schemas.RecordSize;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.streams.Routed;
import io.cronstream.schemas.Trigger;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.OverlapPolicy;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies commands: {@code TRIGGER} becomes a MANUAL due event, for enabled, disabled and Manual
 * jobs alike (a trigger for an invalid or unknown job is refused into the DLQ with the reason, so
 * it is neither lost silently nor fired); {@code RUN_FINISHED} of a run the ticker made frees a SKIP-overlap job to
 * fire again (or hands it to the run's retry), retries, counts failures and chains; {@code AFTER} fires a chained job.
 * A command's key may spell its job id as job records may ({@code "J"}, {@code {"_id": "J"}}, ...).
 */
final class TriggerProcessor implements Processor<byte[], byte[], String, Routed<TickerOutput>> {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerProcessor.class);
    private static final JsonCodec<Command> COMMANDS = JsonCodec.of(Command.class);
    /** A real command is a few hundred bytes; reading a huge one would only cost memory. */
    static final int MAX_COMMAND_BYTES = 64 * 1024;

    private final TickerConfig config;
    private ProcessorContext<String, Routed<TickerOutput>> context;
    private JobStore store;
    private MadeRuns runs;
    private TickerMetrics metrics;
    private Emitter emitter;
    private ChainedJobs chained;
    private RunEnds runEnds;

    TriggerProcessor(TickerConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, Routed<TickerOutput>> context) {
        this.context = context;
        this.store = new JobStore(context);
        this.runs = new MadeRuns(context, config.runRetention());
        this.metrics = new TickerMetrics(context.metrics(), context.taskId().toString(), "commands");
        this.chained = ChainedJobs.of(context, (command, at) -> emitter.command(command, at));
        this.emitter = new Emitter(context, metrics, chained);
        this.runEnds = new RunEnds(store, runs, new PendingRetries(context, store, runs, emitter, metrics), emitter);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            RecordSize.requireAtMost(record.value(), MAX_COMMAND_BYTES, "a command");
            Command command = COMMANDS.read(record.value());
            String key = record.key() == null ? null : JobDefinitionParser.idOfKey(record.key());
            if (!command.jobId().equals(key)) {
                throw new InvalidRecordException("command key '" + key + "' does not match jobId '"
                        + command.jobId() + "': commands are keyed by job id");
            }
            switch (command.type()) {
                case TRIGGER -> trigger(command);
                case RUN_FINISHED -> runFinished(command);
                case AFTER -> after(command);
            }
        } catch (InvalidRecordException e) {
            emitter.deadLetter(record, e.getMessage());
        }
    }

    private void trigger(Command command) {
        JobState state = store.get(command.jobId());
        if (state == null) {
            throw new InvalidRecordException("job '" + command.jobId() + "' is not known (deleted or never defined)");
        }
        if (!state.definition().valid()) {
            throw new InvalidRecordException("job '" + command.jobId() + "' is invalid and cannot be triggered: "
                    + state.definition().error());
        }
        // the API shows such a job valid:false (JobGraph.problem), and an invalid job is never triggered
        Optional<String> problem = chained.problem(state.definition());
        if (problem.isPresent()) {
            throw new InvalidRecordException("job '" + command.jobId() + "' cannot be triggered: " + problem.get());
        }
        String runId = command.manualRunId();
        if (runs.made(command.jobId(), runId)) {
            // the same command delivered again, or a retried request with the same idempotency key
            LOG.info("event=duplicate-trigger jobId={} runId={}", command.jobId(), runId);
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        emitter.emit(state.definition(), runId, command.requestedAt(), Trigger.MANUAL, command.triggeredBy(), now,
                state.nextFireAt());
        runs.add(command.jobId(), runId, emitter.followUp(state.definition()), now);
        store.save(state, state.afterTrigger(now, command.requestedAt(), runId));
    }

    /**
     * Acts on the first end of a run the ticker made for this job; any other RUN_FINISHED (the same end again, a run
     * nobody made, another job's run) changes nothing. An overlap-SKIP job's active run hands over to its retry, if
     * one follows, so the job does not fire beside it.
     */
    private void runFinished(Command command) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        String jobId = command.jobId();
        JobState state = store.get(jobId);
        boolean active = state != null && command.runId().equals(state.activeRunId());
        MadeRuns.End end = runs.end(jobId, command.runId(), command.status(), now);
        // an active run unknown to the made runs was made before they were kept: its end is the one awaited
        if (end != MadeRuns.End.FIRST && !(end == MadeRuns.End.UNKNOWN && active)) {
            LOG.info("event={} jobId={} runId={} status={}", end == MadeRuns.End.REPEATED ? "duplicate-run-finished"
                    : "unknown-run-finished", jobId, command.runId(), command.status());
            return;
        }
        String retry = runEnds.finished(command, now); // retries, RETRY_EXHAUSTED, pauseOnFailure
        if (active) {
            JobState current = store.get(jobId);
            store.save(current, current.withActiveRun(retry));
        }
        if (retry == null) {
            chained.ended(command, now);
        }
    }

    /**
     * An upstream run ended with an outcome this job is chained after: fire it once (the run id comes from the
     * upstream run, so the upstream's end seen twice makes one run). A disabled or paused job does not fire: a
     * chained run of a job its owner switched off would surprise them.
     */
    private void after(Command command) {
        String jobId = command.jobId();
        JobState state = store.get(jobId);
        if (state == null) {
            throw new InvalidRecordException("job '" + jobId + "' is not known (deleted or never defined): it cannot "
                    + "run after " + command.runId());
        }
        JobDefinition job = state.definition();
        if (!job.valid()) {
            throw new InvalidRecordException("job '" + jobId + "' is invalid and cannot run after " + command.runId()
                    + ": " + job.error());
        }
        Optional<String> problem = chained.problem(job);
        if (problem.isPresent()) {
            throw new InvalidRecordException("job '" + jobId + "' cannot run after " + command.runId() + ": "
                    + problem.get());
        }
        String runId = DueEvent.afterRunIdFor(jobId, command.runId());
        if (runs.made(jobId, runId)) {
            // the upstream's end delivered twice
            LOG.info("event=duplicate-after jobId={} runId={} upstreamRunId={}", jobId, runId, command.runId());
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        String skipped = afterSkipped(job, command, now);
        if (skipped == null && state.blockedByActiveRun()) {
            metrics.overlapSkipped(1);
            skipped = "its run " + state.activeRunId() + " is still active (overlap policy " + OverlapPolicy.SKIP + ")";
        }
        if (skipped != null) {
            LOG.info("event=after-skipped jobId={} upstreamRunId={} status={} reason=\"{}\"", jobId,
                    command.runId(), command.status(), skipped);
            return;
        }
        emitter.emit(job, runId, command.requestedAt(), Trigger.AFTER, command.runId(), now, state.nextFireAt());
        runs.add(jobId, runId, emitter.followUp(job), now);
        // lastTriggeredAt stays a manual trigger's
        store.save(state, state.afterTrigger(now, state.lastTriggeredAt(), runId));
    }

    /** Why a chained job does not fire for {@code command}, or null when it fires. */
    private static String afterSkipped(JobDefinition job, Command command, Instant now) {
        if (!job.enabled()) {
            return "the job is disabled";
        }
        if (job.pause() != null && (job.pause().until() == null || job.pause().until().isAfter(now))) {
            return "the job is paused" + (job.pause().until() == null ? "" : " until " + job.pause().until());
        }
        // the command was sent for the graph as it was then: the job may have been changed since
        String upstreamJobId = command.runId().substring(0, Math.max(0, command.runId().lastIndexOf('@')));
        boolean chainedNow = job.after().stream().anyMatch(u -> u.jobId().equals(upstreamJobId)
                && u.on().matches(command.status()));
        return chainedNow ? null : "the job is no longer chained after '" + upstreamJobId + "' on " + command.status();
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
