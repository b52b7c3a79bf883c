package io.cronstream.ticker;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.Command;
import io.cronstream.streams.DeadLetters;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.streams.JobPresence;
import io.cronstream.streams.PartitionById;
import io.cronstream.streams.Routed;
import io.cronstream.streams.RepartitionGate;
import io.cronstream.ticker.job.JobDefinitionParser;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
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
    /** (lower-case name, NUL, jobId) → empty: the order {@code /api/v1/jobs} pages in; see {@link JobNames}. */
    public static final String NAMES_STORE = "ticker-jobs-by-name";
    /** (big-endian due millis, pending retry as JSON) → empty: retries waiting for their backoff; see {@link PendingRetries}. */
    public static final String RETRIES_STORE = "ticker-retries";
    /** {@code jobId NUL runId} → {@link MadeRuns.MadeRun}: the runs the ticker made, for the run retention. */
    public static final String RUNS_STORE = "ticker-runs";
    /** (big-endian millis the entry goes at, {@code jobId NUL runId}) → empty: the retention of {@link #RUNS_STORE}. */
    public static final String RUNS_EXPIRY_STORE = "ticker-runs-expiry";
    /** jobId → {@link JobSource}: each job's last applied record, which a reconciliation repair must still find. */
    public static final String SOURCES_STORE = "ticker-job-sources";
    /** (big-endian removal millis, jobId) → empty: removed jobs' sources, in the order they expire. */
    public static final String SOURCES_REMOVED_STORE = "ticker-job-sources-removed";
    /**
     * The global store over the job-graph topic (see {@link JobGraph}): every instance sees every job's
     * {@code after} edges, which a run's end and a chained job's fire need whichever task owns the other job.
     */
    public static final String GRAPH_STORE = "ticker-job-graph";

    /**
     * Repartition topics (Kafka Streams prefixes the application id and adds {@code -repartition}): job records
     * and commands go to the task that owns their normalised job id, whatever key spelling or partitioner their
     * producer used.
     */
    public static final String JOBS_REPARTITION = "ticker-jobs-by-id";
    public static final String COMMANDS_REPARTITION = "ticker-commands-by-id";

    private static final JsonCodec<Command> COMMANDS = JsonCodec.of(Command.class);
    private static final JsonCodec<Alert> ALERTS = JsonCodec.of(Alert.class);

    private static final JsonCodec<MadeRuns.MadeRun> MADE_RUNS = JsonCodec.of(MadeRuns.MadeRun.class);
    /** The stores both of a task's processors (definitions and commands) change. */
    private static final String[] TASK_STORES = {JOBS_STORE, SCHEDULE_STORE, NAMES_STORE, RETRIES_STORE, RUNS_STORE,
            RUNS_EXPIRY_STORE, SOURCES_STORE, SOURCES_REMOVED_STORE};

    public static final JsonCodec<JobState> JOB_STATES = JsonCodec.of(JobState.class);
    public static final JsonCodec<DueEvent> DUE_EVENTS = JsonCodec.of(DueEvent.class);
    public static final JsonCodec<JobSource> JOB_SOURCES = JsonCodec.of(JobSource.class);

    private TickerTopology() {
    }

    /**
     * What the ticker hands the rest of one application: its due events, and for every job record it reads
     * whether the job is defined or removed (keyed by job id).
     */
    public record Outputs(KStream<String, DueEvent> due, KStream<String, JobPresence> jobs) {
    }

    /**
     * Adds the ticker to {@code builder}, so other sub-topologies can be composed with it into one application, and
     * hands them its due events and which jobs are defined and which were removed.
     */
    public static Outputs addWithJobPresence(StreamsBuilder builder, TickerConfig config) {
        return addTo(builder, config, System::nanoTime, true);
    }

    /**
     * @param nanoClock what punctuations measure their time budget with; tests pass their own
     * @param presence  whether to add the job presence stream (without it, {@link Outputs#jobs()} is null)
     */
    private static Outputs addTo(StreamsBuilder builder, TickerConfig config, LongSupplier nanoClock, boolean presence) {
        PunctuationBudget budget = new PunctuationBudget(nanoClock, config.punctuationTimeBudget());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(JOBS_STORE), Serdes.String(), JOB_STATES.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SCHEDULE_STORE), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(NAMES_STORE), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RETRIES_STORE), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RUNS_STORE), Serdes.String(), MADE_RUNS.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RUNS_EXPIRY_STORE), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SOURCES_STORE), Serdes.String(), JOB_SOURCES.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SOURCES_REMOVED_STORE), Serdes.Bytes(), Serdes.ByteArray()));

        // Its own topic is its changelog: logging off, and the updater keeps the store equal to the topic.
        builder.addGlobalStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(GRAPH_STORE), Serdes.String(), Serdes.String()).withLoggingDisabled(),
                config.topics().jobGraph(),
                Consumed.with(Serdes.String(), Serdes.String()).withName("ticker-job-graph-source"),
                JobGraphUpdater::new);

        // A document too large crosses as a stub with its size, which the job processor answers for: the job stops
        // firing (fails closed) rather than keep its old definition. Only its key can name the job (the value is not
        // read): without a key that is a job id, the dead letter is all.
        KStream<byte[], byte[]> jobRecords = byJobId(builder, config, config.topics().jobs(), "ticker-jobs",
                JOBS_REPARTITION, JobDefinitionParser.MAX_DOCUMENT_BYTES, "a job definition", JobDefinitionParser::routingId,
                (key, size) -> JobDefinitionParser.isJobId(JobDefinitionParser.routingId(key, null))
                        ? JobDefinitionParser.stubBytes(size) : null)
                .process(RepairGate::new, Named.as("ticker-job-repairs"), SOURCES_STORE, SOURCES_REMOVED_STORE);
        KStream<String, Routed<TickerOutput>> fromJobs = jobRecords
                .process(() -> new JobDefinitionProcessor(config, budget), Named.as("ticker-job-definitions"),
                        TASK_STORES);
        KStream<String, JobPresence> jobs = presence
                ? jobRecords.process(() -> new JobPresenceProcessor(config), Named.as("ticker-job-presence"))
                : null;
        KStream<String, Routed<TickerOutput>> fromCommands = byJobId(builder, config, config.topics().commands(),
                "ticker-commands", COMMANDS_REPARTITION, TriggerProcessor.MAX_COMMAND_BYTES, "a command",
                TickerTopology::commandJobId, (key, size) -> null)
                .process(() -> new TriggerProcessor(config), Named.as("ticker-triggers"), TASK_STORES);

        Map<String, KStream<String, TickerOutput>> outputs = DeadLetters.route(
                        fromJobs.merge(fromCommands, Named.as("ticker-outputs")), config.topics().dlq(), "ticker")
                .split(Named.as("ticker-out-"))
                .branch((key, out) -> out instanceof TickerOutput.Due, Branched.as("due"))
                .branch((key, out) -> out instanceof TickerOutput.Chained, Branched.as("command"))
                .branch((key, out) -> out instanceof TickerOutput.Notice, Branched.as("alert"))
                .defaultBranch(Branched.as("graph"));
        KStream<String, DueEvent> due = outputs.get("ticker-out-due")
                .mapValues(out -> ((TickerOutput.Due) out).event(), Named.as("ticker-due-unwrap"));
        due.to(config.topics().jobDue(), Produced.with(Serdes.String(), DUE_EVENTS.serde()).withName("ticker-job-due-sink"));
        outputs.get("ticker-out-command")
                .mapValues(out -> ((TickerOutput.Chained) out).command(), Named.as("ticker-command-unwrap"))
                .to(config.topics().commands(), Produced.with(Serdes.String(), COMMANDS.serde())
                        .withName("ticker-commands-sink"));
        outputs.get("ticker-out-alert")
                .mapValues(out -> ((TickerOutput.Notice) out).alert(), Named.as("ticker-alert-unwrap"))
                .to(config.topics().alerts(), Produced.with(Serdes.String(), ALERTS.serde())
                        .withName("ticker-alerts-sink"));
        outputs.get("ticker-out-graph")
                .mapValues(out -> ((TickerOutput.GraphEdge) out).value(), Named.as("ticker-graph-unwrap"))
                .to(config.topics().jobGraph(), Produced.with(Serdes.String(), Serdes.String())
                        .withName("ticker-job-graph-sink"));
        return new Outputs(due, jobs);
    }

    /**
     * {@code topic}'s raw records, moved through a repartition to the partition of their job id (see
     * {@link PartitionById}); the gate in front dead-letters what is too large to cross it (or lets {@code standIn}
     * cross instead) and puts the source coordinates in headers for later dead letters.
     */
    private static KStream<byte[], byte[]> byJobId(StreamsBuilder builder, TickerConfig config, String topic,
            String name, String repartition, int maxValueBytes, String what, BiFunction<byte[], byte[], String> idOf,
            BiFunction<byte[], Integer, byte[]> standIn) {
        KStream<byte[], Routed<byte[]>> gated = builder
                .stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-source"))
                .process(() -> new RepartitionGate(maxValueBytes, what, standIn), Named.as(name + "-gate"));
        // A repartition drops records without a key, but a job document may carry its id in _id alone, and a
        // keyless command must still reach the DLQ: an empty key stands in for none across it.
        return DeadLetters.route(gated, config.topics().dlq(), name + "-gate")
                .map((key, value) -> KeyValue.pair(key == null ? NO_KEY : key, value), Named.as(name + "-keep-keyless"))
                .repartition(Repartitioned.<byte[], byte[]>as(repartition)
                        .withKeySerde(Serdes.ByteArray())
                        .withValueSerde(Serdes.ByteArray())
                        .withStreamPartitioner(new PartitionById(
                                (key, value) -> idOf.apply(key.length == 0 ? null : key, value))))
                .map((key, value) -> KeyValue.pair(key.length == 0 ? null : key, value), Named.as(name + "-by-id"));
    }

    private static final byte[] NO_KEY = new byte[0];

    /** A command's job id, or null when it cannot be read (the trigger processor dead-letters it). */
    static String commandJobId(byte[] key, byte[] value) {
        if (value == null || value.length > TriggerProcessor.MAX_COMMAND_BYTES) {
            return null;
        }
        try {
            return COMMANDS.read(value).jobId();
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The ticker alone, for tests and for running it without the progress topology. */
    public static Topology build(TickerConfig config) {
        return build(config, System::nanoTime);
    }

    static Topology build(TickerConfig config, LongSupplier nanoClock) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, config, nanoClock, false);
        return builder.build();
    }
}
