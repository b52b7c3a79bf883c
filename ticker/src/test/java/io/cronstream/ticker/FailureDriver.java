package io.cronstream.ticker;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Trigger;
import io.cronstream.ticker.job.JobDefinition;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Failure handling on a {@link TickerHarness}: RUN_FINISHED commands, the alerts topic, and failure policies put on
 * a job's stored definition (the parser does not read {@code retry} and {@code pauseOnFailure} on this branch).
 */
final class FailureDriver {

    private static final JsonCodec<Command> COMMANDS = JsonCodec.of(Command.class);

    private FailureDriver() {
    }

    /** Gives the stored definition of {@code jobId} the changes {@code edit} makes (its schedule is untouched). */
    static void policy(TickerHarness ticker, String jobId, Consumer<JobDefinition.Builder> edit) {
        KeyValueStore<String, JobState> store = ticker.driver.getKeyValueStore(TickerTopology.JOBS_STORE);
        JobState state = store.get(jobId);
        store.put(jobId, state.withDefinition(state.definition().with(edit), state.updatedAt(), state.nextFireAt()));
    }

    /**
     * Has the ticker make the manual run {@code <jobId>@manual-<key>} (only the ends of runs it made count), and takes
     * its due event off the output; returns its run id.
     */
    static String manual(TickerHarness ticker, String jobId, String key) {
        ticker.command(jobId, COMMANDS.write(Command.trigger(jobId, "test", ticker.now(), key)));
        List<DueEvent> due = ticker.due();
        String runId = DueEvent.manualRunIdFor(jobId, key);
        if (due.stream().noneMatch(d -> d.runId().equals(runId))) {
            throw new IllegalStateException("the ticker did not make " + runId + ": " + due);
        }
        return runId;
    }

    static void failed(TickerHarness ticker, String jobId, String runId, int attempt) {
        ticker.command(jobId, COMMANDS.write(Command.runFinished(jobId, runId, "FAILED", ticker.now(), attempt, null)));
    }

    static void completed(TickerHarness ticker, String jobId, String runId, int attempt) {
        ticker.command(jobId, COMMANDS.write(Command.runFinished(jobId, runId, "COMPLETED", ticker.now(), attempt, null)));
    }

    static List<Alert> alerts(TickerHarness ticker) {
        return ticker.driver.createOutputTopic(TickerHarness.TOPICS.alerts(), new StringDeserializer(),
                JsonCodec.of(Alert.class).serde().deserializer()).readValuesToList();
    }

    static List<DueEvent> retries(List<DueEvent> due) {
        return due.stream().filter(e -> e.trigger() == Trigger.RETRY).toList();
    }
}
