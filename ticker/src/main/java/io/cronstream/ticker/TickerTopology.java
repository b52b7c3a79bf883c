package io.cronstream.ticker;

import io.cronstream.schemas.DeadLetters;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Routed;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The ticker sub-topology. Both input topics are keyed by job id and must have the same number of
 * partitions: the job processor and the trigger processor share the task's stores.
 */
public final class TickerTopology {

    /** jobId → {@link JobState}. */
    public static final String JOBS_STORE = "ticker-jobs";
    /** (big-endian next fire millis, jobId) → empty: the O(due) index. */
    public static final String SCHEDULE_STORE = "ticker-schedule";

    public static final JsonCodec<JobState> JOB_STATES = JsonCodec.of(JobState.class);
    public static final JsonCodec<DueEvent> DUE_EVENTS = JsonCodec.of(DueEvent.class);

    private TickerTopology() {
    }

    /** Adds the ticker to {@code builder}, so other sub-topologies can be composed with it into one application. */
    public static KStream<String, DueEvent> addTo(StreamsBuilder builder, TickerConfig config) {
        return addTo(builder, config, System::nanoTime);
    }

    /** @param nanoClock what punctuations measure their time budget with; tests pass their own */
    static KStream<String, DueEvent> addTo(StreamsBuilder builder, TickerConfig config, LongSupplier nanoClock) {
        PunctuationBudget budget = new PunctuationBudget(nanoClock, config.punctuationTimeBudget());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(JOBS_STORE), Serdes.String(), JOB_STATES.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SCHEDULE_STORE), Serdes.Bytes(), Serdes.ByteArray()));

        KStream<String, Routed<DueEvent>> fromJobs = builder
                .stream(config.topics().jobs(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("ticker-jobs-source"))
                .process(() -> new JobDefinitionProcessor(config, budget), Named.as("ticker-job-definitions"),
                        JOBS_STORE, SCHEDULE_STORE);
        KStream<String, Routed<DueEvent>> fromCommands = builder
                .stream(config.topics().commands(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("ticker-commands-source"))
                .process(TriggerProcessor::new, Named.as("ticker-triggers"), JOBS_STORE, SCHEDULE_STORE);

        KStream<String, DueEvent> due = DeadLetters.route(
                fromJobs.merge(fromCommands, Named.as("ticker-outputs")), config.topics().dlq(), "ticker");
        due.to(config.topics().jobDue(), Produced.with(Serdes.String(), DUE_EVENTS.serde()).withName("ticker-job-due-sink"));
        return due;
    }

    /** The ticker alone, for tests and for running it without the progress topology. */
    public static Topology build(TickerConfig config) {
        return build(config, System::nanoTime);
    }

    static Topology build(TickerConfig config, LongSupplier nanoClock) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, config, nanoClock);
        return builder.build();
    }
}
