package io.cronstream.ticker;

import io.cronstream.schemas.RecordSize;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.streams.Routed;
import io.cronstream.schemas.Trigger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies commands: {@code TRIGGER} becomes a MANUAL due event, for enabled, disabled and Manual
 * jobs alike (a trigger for an invalid or unknown job is refused into the DLQ with the reason, so
 * it is neither lost silently nor fired); {@code RUN_FINISHED} frees a SKIP-overlap job to fire again.
 */
final class TriggerProcessor implements Processor<byte[], byte[], String, Routed<TickerOutput>> {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerProcessor.class);
    private static final JsonCodec<Command> COMMANDS = JsonCodec.of(Command.class);
    /** A real command is a few hundred bytes; reading a huge one would only cost memory. */
    static final int MAX_COMMAND_BYTES = 64 * 1024;

    private ProcessorContext<String, Routed<TickerOutput>> context;
    private JobStore store;
    private TickerMetrics metrics;
    private Emitter emitter;
    private ChainedJobs chained;
    private RunEnds runEnds;

    @Override
    public void init(ProcessorContext<String, Routed<TickerOutput>> context) {
        this.context = context;
        this.store = new JobStore(context);
        this.metrics = new TickerMetrics(context.metrics(), context.taskId().toString(), "commands");
        this.chained = new ChainedJobs();
        this.emitter = new Emitter(context, metrics, chained);
        this.runEnds = new RunEnds(store, new PendingRetries(context, store, emitter, metrics), emitter);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            RecordSize.requireAtMost(record.value(), MAX_COMMAND_BYTES, "a command");
            Command command = COMMANDS.read(record.value());
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            if (!command.jobId().equals(key)) {
                throw new InvalidRecordException("command key '" + key + "' does not match jobId '"
                        + command.jobId() + "': commands are keyed by job id");
            }
            switch (command.type()) {
                case TRIGGER -> trigger(command);
                case RUN_FINISHED -> runFinished(command);
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
        String runId = command.manualRunId();
        if (state.madeManualRun(runId)) {
            // the same command delivered again, or a retried request with the same idempotency key
            LOG.info("event=duplicate-trigger jobId={} runId={}", command.jobId(), runId);
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        emitter.emit(state.definition(), runId, command.requestedAt(), Trigger.MANUAL, command.triggeredBy(), now,
                state.nextFireAt());
        store.save(state, state.afterTrigger(now, command.requestedAt(), runId));
    }

    private void runFinished(Command command) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        JobState state = store.get(command.jobId());
        if (state != null && command.runId().equals(state.activeRunId())) {
            JobState freed = state.withActiveRun(null);
            store.save(state, freed);
            state = freed;
        }
        boolean retryFollows = runEnds.finished(command, now); // retries, RETRY_EXHAUSTED, pauseOnFailure
        if (!retryFollows) {
            chained.ended(command, now);
        }
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
