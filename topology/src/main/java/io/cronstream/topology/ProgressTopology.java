package io.cronstream.topology;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.RunControl;
import io.cronstream.schemas.DueEvent;
import io.cronstream.streams.DeadLetters;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.JobHistory;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.LibrarySummary;
import io.cronstream.streams.Routed;
import io.cronstream.streams.WriteBehindStore;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.StuckAlert;
import io.cronstream.schemas.Topics;
import io.cronstream.streams.JobPresence;
import io.cronstream.topology.history.HistoryInput;
import io.cronstream.topology.history.HistoryProcessor;
import io.cronstream.topology.libraries.FileChanges;
import io.cronstream.topology.libraries.LibraryChangesProcessor;
import io.cronstream.topology.libraries.PendingEntry;
import io.cronstream.topology.runs.RunInput;
import io.cronstream.topology.runs.RunInputSerde;
import io.cronstream.topology.runs.RunInputs;
import io.cronstream.topology.runs.RunOutput;
import io.cronstream.topology.runs.RunPlacement;
import io.cronstream.topology.runs.RunProcessor;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The progress sub-topology (DESIGN §6):
 *
 * <pre>
 * due events ────▶ by runId ────────────────────────┐ (the ticker's stream in the composed application; job-due alone)
 * file-changes ──▶ parse ─▶ [by libraryId] ─▶ libraries (work) ─┴─▶ [progress-run-inputs] ──┐
 * stage-progress ▶ parse ─▶ in its run's partition? ── yes ────────────────────────────────┤
 *                                                   └─ no ─▶ [progress-stage-progress-by-run] ─┤
 *                                                                                          ▼
 *   runs (+ stuck scan) ─┬─▶ run-status, stuck-runs, alerts (by jobId), run-control (CANCEL, by runId)
 *                        └─▶ [progress-run-status-by-job] ─▶ history
 * job presence (the ticker's, by jobId) ─▶ [progress-run-inputs] ─▶ (past the runs) ─▶ [progress-run-status-by-job]
 * finished runs that report their end (overlap SKIP, followUp) ──▶ commands (RUN_FINISHED, by jobId)
 * every parse and the runs processor ──▶ dlq
 * </pre>
 */
public final class ProgressTopology {

    /** runId → {@link RunSnapshot}. */
    public static final String RUNS_STORE = "progress-runs";
    /** Stuck-scan index: big-endian deadline millis (to the second) + runId → nothing; see {@code ActivityIndex}. */
    public static final String RUN_ACTIVITY_STORE = "progress-run-activity";
    /** Retention index: big-endian expiry millis + runId → nothing; see {@code ExpiryIndex}. */
    public static final String RUN_EXPIRY_STORE = "progress-run-expiry";
    /** Per partition: status name (or {@code stuck}) → how many stored runs; see {@code RunCounts}. */
    public static final String RUN_COUNTS_STORE = "progress-run-counts";
    /** runId → stuckSince epoch millis, for every run flagged stuck now; see {@code StuckIndex}. */
    public static final String STUCK_INDEX_STORE = "progress-stuck-index";
    /** Stored runs by last change, to the second: the order {@code /api/v1/runs} pages in. */
    public static final String RUNS_BY_UPDATE_STORE = "progress-runs-by-update";
    /** {@code runId NUL source NUL eventId} → nothing: every eventId a run counted; see {@code RunEventIds}. */
    public static final String RUN_EVENT_IDS_STORE = "progress-run-event-ids";
    /** jobId → {@link JobHistory}. */
    public static final String JOB_HISTORY_STORE = "progress-job-history";
    /** Removals of deleted jobs' histories: big-endian due millis + jobId → nothing (a {@code TimeIndex}). */
    public static final String JOB_EXPIRY_STORE = "progress-job-expiry";
    /** jobId → epoch millis its history is removed at, for every deleted job not yet removed nor defined again. */
    public static final String JOB_REMOVALS_STORE = "progress-job-removals";
    /** libraryId → {@link LibrarySummary}; read a whole change set with {@code LibraryChangeSets.read}. */
    public static final String LIBRARIES_STORE = "progress-libraries";
    /** {@code libraryId NUL path} → {@link PendingEntry} (the API shows it as a {@code PendingChange}). */
    public static final String LIBRARY_PENDING_STORE = "progress-library-pending";

    /** Repartition topic names (Kafka Streams prefixes the application id and adds {@code -repartition}). */
    public static final String RUN_INPUTS_REPARTITION = "progress-run-inputs";
    /** Workers' events read from a partition that does not own their run, on their way to the one that does. */
    public static final String STAGE_PROGRESS_BY_RUN_REPARTITION = "progress-stage-progress-by-run";
    public static final String RUN_STATUS_BY_JOB_REPARTITION = "progress-run-status-by-job";
    /**
     * File changes by libraryId, hashed as Kafka Streams hashes store keys: a producer with another partitioner
     * (librdkafka's CRC32: kcat, .NET, Python, Go) would otherwise leave a library where no lookup finds it.
     */
    public static final String FILE_CHANGES_BY_LIBRARY_REPARTITION = "progress-file-changes-by-library";

    private static final Serde<RunSnapshot> RUN_SNAPSHOT = JsonCodec.of(RunSnapshot.class).serde();

    private ProgressTopology() {
    }

    /**
     * Progress apart from the ticker: due events are read back from {@code cronstream.job-due}. The composed
     * application hands the ticker's due stream to {@link #addTo(StreamsBuilder, ProgressConfig, KStream, KStream)}
     * instead, so a due event never makes a JSON round trip through the public topic inside one application.
     */
    public static void addTo(StreamsBuilder builder, ProgressConfig config) {
        KStream<String, RunInput> due = parse(builder, config.topics().jobDue(), "progress-job-due",
                config.topics().dlq(), (origin, readAt) -> RunInputs.fromDue(origin));
        addRuns(builder, config, due);
    }

    /**
     * Progress fed by the ticker's due events and job presence (both keyed by jobId), as the composed application
     * runs it: a deleted job's history goes after the run retention, unless the job is defined again first.
     */
    public static void addTo(StreamsBuilder builder, ProgressConfig config, KStream<String, DueEvent> dueEvents,
            KStream<String, JobPresence> jobPresence) {
        KStream<String, RunInput> due = dueEvents.map((jobId, event) -> KeyValue.<String, RunInput>pair(event.runId(),
                RunInput.due(event)), Named.as("progress-due-by-run"));
        addRuns(builder, config, due.merge(jobPresence.mapValues(RunInput::job, Named.as("progress-job-presence")),
                Named.as("progress-merge-job-presence")));
    }

    private static void addRuns(StreamsBuilder builder, ProgressConfig config, KStream<String, RunInput> due) {
        Topics topics = config.topics();
        addStores(builder, config);
        KStream<String, RunInput> progress = parse(builder, topics.stageProgress(), "progress-stage-progress",
                topics.dlq(), (origin, readAt) -> RunInputs.fromStageProgress(origin));
        KStream<String, FileChangeEvent> fileChanges = parse(builder, topics.fileChanges(), "progress-file-changes",
                topics.dlq(), FileChanges::read);

        KStream<String, RunInput> work = fileChanges
                .repartition(Repartitioned.<String, FileChangeEvent>as(FILE_CHANGES_BY_LIBRARY_REPARTITION)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(JsonCodec.of(FileChangeEvent.class).serde()))
                .process(LibraryChangesProcessor::new,
                Named.as("progress-libraries"), LIBRARIES_STORE, LIBRARY_PENDING_STORE);

        // Due events, added work and job presence come from other sub-topologies (the ticker's, the libraries'):
        // they always cross progress-run-inputs. A worker's event is read by the runs' own sub-topology and folded
        // where it arrives when its partition owns the run; only the others cross a repartition (another
        // partitioner or partition count than the runs'). Both repartitions have the runs' partition count.
        Serde<RunInput> runInputs = RunInputSerde.SERDE;
        KStream<String, RunInput> fromOtherTasks = due
                .merge(work, Named.as("progress-merge-work"))
                .repartition(Repartitioned.<String, RunInput>as(RUN_INPUTS_REPARTITION)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(runInputs)
                        .withNumberOfPartitions(config.runPartitions()));
        Map<String, KStream<String, RunInput>> placed = progress
                .split(Named.as("progress-placement-"))
                .branch((runId, input) -> RunPlacement.inPlace(runId, input, config.runPartitions()),
                        Branched.as("in-place"))
                .defaultBranch(Branched.as("elsewhere"));
        KStream<String, RunInput> moved = placed.get("progress-placement-elsewhere")
                .repartition(Repartitioned.<String, RunInput>as(STAGE_PROGRESS_BY_RUN_REPARTITION)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(runInputs)
                        .withNumberOfPartitions(config.runPartitions()));
        Map<String, KStream<String, RunInput>> inputs = fromOtherTasks
                .merge(placed.get("progress-placement-in-place"), Named.as("progress-merge-stage-progress"))
                .merge(moved, Named.as("progress-merge-stage-progress-moved"))
                .split(Named.as("progress-inputs-"))
                .branch((key, input) -> input.job() != null, Branched.as("job"))
                .defaultBranch(Branched.as("run"));
        KStream<String, HistoryInput> jobPresence = inputs.get("progress-inputs-job")
                .mapValues(input -> HistoryInput.job(input.job()), Named.as("progress-job-presence-for-history"));
        KStream<String, Routed<RunOutput>> runOutputs = inputs.get("progress-inputs-run")
                .process(() -> new RunProcessor(config), Named.as("progress-runs"),
                        RUNS_STORE, RUN_ACTIVITY_STORE, RUN_EVENT_IDS_STORE, RUN_EXPIRY_STORE, RUN_COUNTS_STORE, STUCK_INDEX_STORE,
                        RUNS_BY_UPDATE_STORE);

        Map<String, KStream<String, RunOutput>> published = DeadLetters
                .route(runOutputs, topics.dlq(), "progress-runs-output")
                .split(Named.as("progress-published-"))
                .branch((runId, output) -> output instanceof RunOutput.Status, Branched.as("status"))
                .branch((jobId, output) -> output instanceof RunOutput.Notice, Branched.as("notice"))
                .branch((runId, output) -> output instanceof RunOutput.Control, Branched.as("control"))
                .defaultBranch(Branched.as("alert"));

        KStream<String, RunSnapshot> statuses = published.get("progress-published-status")
                .mapValues(output -> ((RunOutput.Status) output).run(), Named.as("progress-status-unwrap"));
        statuses.to(topics.runStatus(), Produced.with(Serdes.String(), RUN_SNAPSHOT).withName("progress-run-status"));
        published.get("progress-published-alert")
                .mapValues(output -> ((RunOutput.Alert) output).alert(), Named.as("progress-alert-unwrap"))
                .to(topics.stuckRuns(), Produced.with(Serdes.String(), JsonCodec.of(StuckAlert.class).serde())
                        .withName("progress-stuck-runs"));
        published.get("progress-published-notice")
                .mapValues(output -> ((RunOutput.Notice) output).alert(), Named.as("progress-notice-unwrap"))
                .to(topics.alerts(), Produced.with(Serdes.String(), JsonCodec.of(Alert.class).serde())
                        .withName("progress-alerts"));
        published.get("progress-published-control")
                .mapValues(output -> ((RunOutput.Control) output).control(), Named.as("progress-control-unwrap"))
                .to(topics.runControl(), Produced.with(Serdes.String(), JsonCodec.of(RunControl.class).serde())
                        .withName("progress-run-control"));

        // The ticker waits for, retries, pauses on or chains after the runs that report their end (overlap SKIP,
        // followUp). Keyed by job id, the command lands in the partition of cronstream.commands that the job's
        // ticker task reads.
        statuses.filter((runId, run) -> run.jobId() != null && run.status().terminal() && run.reportsEnd(),
                        Named.as("progress-finished-runs"))
                .map((runId, run) -> KeyValue.pair(run.jobId(),
                        Command.runFinished(run.jobId(), runId, run.status().name(), run.updatedAt(), run.attempt(),
                                run.failureReason())),
                        Named.as("progress-run-finished-command"))
                .to(topics.commands(), Produced.with(Serdes.String(), JsonCodec.of(Command.class).serde())
                        .withName("progress-commands"));

        statuses.filter((runId, run) -> run.jobId() != null, Named.as("progress-runs-with-job"))
                .map((runId, run) -> KeyValue.pair(run.jobId(), HistoryInput.run(run)), Named.as("progress-key-by-job"))
                .merge(jobPresence, Named.as("progress-merge-job-presence-for-history"))
                .repartition(Repartitioned.<String, HistoryInput>as(RUN_STATUS_BY_JOB_REPARTITION)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(HistoryInput.SERDE))
                .process(() -> new HistoryProcessor(config), Named.as("progress-history"),
                        JOB_HISTORY_STORE, JOB_EXPIRY_STORE, JOB_REMOVALS_STORE);
    }

    /** Consumes a topic as raw bytes and parses it; what cannot be read goes to the DLQ with the reason. */
    private static <V> KStream<String, V> parse(StreamsBuilder builder, String topic, String name, String dlq,
            ParseProcessor.Reader<V> reader) {
        KStream<String, Routed<V>> parsed = builder
                .stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-source"))
                .process(() -> new ParseProcessor<>(reader), Named.as(name + "-parse"));
        return DeadLetters.route(parsed, dlq, name);
    }

    private static void addStores(StreamsBuilder builder, ProgressConfig config) {
        Function<String, KeyValueBytesStoreSupplier> store = config.inMemoryStores()
                ? Stores::inMemoryKeyValueStore : Stores::persistentKeyValueStore;
        // A run changes with every worker event: held as an object and serialised once per commit.
        builder.addStateStore(WriteBehindStore.builder(Stores.keyValueStoreBuilder(store.apply(RUNS_STORE),
                Serdes.String(), RUN_SNAPSHOT).withCachingEnabled(), Serdes.String().serializer(),
                RUN_SNAPSHOT.serializer()));
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(RUN_ACTIVITY_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(RUN_EXPIRY_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(RUN_COUNTS_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(STUCK_INDEX_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(RUNS_BY_UPDATE_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(RUN_EVENT_IDS_STORE),
                Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(JOB_HISTORY_STORE),
                Serdes.String(), JsonCodec.of(JobHistory.class).serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(JOB_EXPIRY_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(JOB_REMOVALS_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(LIBRARIES_STORE),
                Serdes.String(), JsonCodec.of(LibrarySummary.class).serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(LIBRARY_PENDING_STORE),
                Serdes.String(), JsonCodec.of(PendingEntry.class).serde()).withCachingEnabled());
    }
}
