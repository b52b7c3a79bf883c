package io.cronstream.topology;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.RunControl;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.JobHistory;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.LibraryChangeSet;
import io.cronstream.schemas.LibrarySummary;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.StuckAlert;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.Topics;
import io.cronstream.topology.libraries.LibraryChangeSets;
import io.cronstream.streams.TimeIndex;
import io.cronstream.topology.runs.RecentRuns;
import io.cronstream.topology.runs.RunEventIds;
import io.cronstream.topology.libraries.PendingEntry;
import io.cronstream.topology.stuck.ActivityIndex;
import io.cronstream.topology.stuck.StuckScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** The progress sub-topology in a TopologyTestDriver, exactly-once, with a wall clock only the test moves. */
final class ProgressDriver implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    final Topics topics = Topics.defaults();
    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> jobDue;
    private final TestInputTopic<byte[], byte[]> stageProgress;
    private final TestInputTopic<byte[], byte[]> fileChanges;
    private final TestOutputTopic<String, RunSnapshot> runStatus;
    private final TestOutputTopic<String, StuckAlert> stuckRuns;
    private final TestOutputTopic<byte[], byte[]> dlq;
    private final TestOutputTopic<String, Alert> alertTopic;
    private final TestOutputTopic<String, RunControl> runControl;
    private Duration elapsed = Duration.ZERO;

    ProgressDriver() {
        this(ProgressConfig.defaults());
    }

    ProgressDriver(ProgressConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        ProgressTopology.addTo(builder, config.withTopics(topics));
        try {
            Path target = Files.createDirectories(Path.of("target", "kafka-streams"));
            stateDir = Files.createTempDirectory(target, "progress-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cronstream-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put("processing.exception.handler.global.enabled", "true");
        driver = new TopologyTestDriver(builder.build(), props, T0);
        ByteArraySerializer bytes = new ByteArraySerializer();
        jobDue = driver.createInputTopic(topics.jobDue(), bytes, bytes, T0, Duration.ZERO);
        stageProgress = driver.createInputTopic(topics.stageProgress(), bytes, bytes, T0, Duration.ZERO);
        fileChanges = driver.createInputTopic(topics.fileChanges(), bytes, bytes, T0, Duration.ZERO);
        runStatus = driver.createOutputTopic(topics.runStatus(), new StringDeserializer(),
                JsonCodec.of(RunSnapshot.class).serde().deserializer());
        stuckRuns = driver.createOutputTopic(topics.stuckRuns(), new StringDeserializer(),
                JsonCodec.of(StuckAlert.class).serde().deserializer());
        dlq = driver.createOutputTopic(topics.dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        alertTopic = driver.createOutputTopic(topics.alerts(), new StringDeserializer(),
                JsonCodec.of(Alert.class).serde().deserializer());
        runControl = driver.createOutputTopic(topics.runControl(), new StringDeserializer(),
                JsonCodec.of(RunControl.class).serde().deserializer());
    }

    // ---- input

    void due(DueEvent due) {
        jobDue.pipeInput(utf8(due.jobId()), JsonCodec.of(DueEvent.class).write(due));
    }

    void progress(StageProgressEvent event) {
        stageProgress.pipeInput(utf8(event.runId()), JsonCodec.of(StageProgressEvent.class).write(event));
    }

    void progress(List<StageProgressEvent> events) {
        events.forEach(this::progress);
    }

    void fileChange(FileChangeEvent event) {
        fileChanges.pipeInput(utf8(event.libraryId()), JsonCodec.of(FileChangeEvent.class).write(event));
    }

    void raw(String topic, byte[] key, byte[] value) {
        input(topic).pipeInput(key, value);
    }

    private TestInputTopic<byte[], byte[]> input(String topic) {
        if (topic.equals(topics.jobDue())) {
            return jobDue;
        }
        return topic.equals(topics.stageProgress()) ? stageProgress : fileChanges;
    }

    // ---- clock

    Instant now() {
        return T0.plus(elapsed);
    }

    /** Moves the wall clock; every wall-clock punctuator fires once. */
    void advance(Duration by) {
        elapsed = elapsed.plus(by);
        driver.advanceWallClockTime(by);
    }

    // ---- output and state

    RunSnapshot run(String runId) {
        KeyValueStore<String, RunSnapshot> runs = driver.getKeyValueStore(ProgressTopology.RUNS_STORE);
        return runs.get(runId);
    }

    JobHistory history(String jobId) {
        KeyValueStore<String, JobHistory> histories = driver.getKeyValueStore(ProgressTopology.JOB_HISTORY_STORE);
        return histories.get(jobId);
    }

    LibraryChangeSet library(String libraryId) {
        KeyValueStore<String, LibrarySummary> summaries = driver.getKeyValueStore(ProgressTopology.LIBRARIES_STORE);
        KeyValueStore<String, PendingEntry> pending = driver.getKeyValueStore(ProgressTopology.LIBRARY_PENDING_STORE);
        return LibraryChangeSets.read(summaries, pending, libraryId, 1000).orElse(null);
    }

    /** The eventIds store as retention sees it. */
    RunEventIds runEventIds() {
        return new RunEventIds(driver.getKeyValueStore(ProgressTopology.RUN_EVENT_IDS_STORE));
    }

    /**
     * How many eventIds the run has counted (its keys all start with {@code runId NUL}); the alert kinds it raised,
     * kept under the same prefix, are not eventIds.
     */
    long eventIdsOf(String runId) {
        KeyValueStore<String, byte[]> ids = driver.getKeyValueStore(ProgressTopology.RUN_EVENT_IDS_STORE);
        long count = 0;
        try (KeyValueIterator<String, byte[]> all = ids.prefixScan(runId + '\u0000', new StringSerializer())) {
            while (all.hasNext()) {
                if (!all.next().key.startsWith(runId + "\u0000alert\u0000")) {
                    count++;
                }
            }
        }
        return count;
    }

    long eventIdKeys() {
        return size(ProgressTopology.RUN_EVENT_IDS_STORE);
    }

    /** Counted, not estimated: RocksDB's entry count is approximate. */
    long activityIndexSize() {
        return size(ProgressTopology.RUN_ACTIVITY_STORE);
    }

    /** Entries in a store, counted. */
    long size(String store) {
        KeyValueStore<Object, Object> index = driver.getKeyValueStore(store);
        long entries = 0;
        try (KeyValueIterator<Object, Object> all = index.all()) {
            for (; all.hasNext(); all.next()) {
                entries++;
            }
        }
        return entries;
    }

    /** The maintained run counts (progress-run-counts) without its bookkeeping key. */
    Map<String, Long> runCounts() {
        Map<String, Long> counts = new TreeMap<>();
        KeyValueStore<String, Long> store = driver.getKeyValueStore(ProgressTopology.RUN_COUNTS_STORE);
        try (KeyValueIterator<String, Long> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (!entry.key.equals("counted") && entry.value != 0) {
                    counts.put(entry.key, entry.value);
                }
            });
        }
        return counts;
    }

    /** The stuck index (progress-stuck-index): runId → stuckSince millis. */
    Map<String, Long> stuckIndex() {
        Map<String, Long> index = new TreeMap<>();
        KeyValueStore<String, Long> store = driver.getKeyValueStore(ProgressTopology.STUCK_INDEX_STORE);
        try (KeyValueIterator<String, Long> all = store.all()) {
            all.forEachRemaining(entry -> index.put(entry.key, entry.value));
        }
        return index;
    }

    /** The stuck runs, found by reading every stored run: what the stuck index must equal. */
    Map<String, Long> stuckRunsByReadingAll() {
        Map<String, Long> stuck = new TreeMap<>();
        KeyValueStore<String, RunSnapshot> runs = driver.getKeyValueStore(ProgressTopology.RUNS_STORE);
        try (KeyValueIterator<String, RunSnapshot> all = runs.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.stuck()) {
                    stuck.put(entry.key, entry.value.stuckSince().toEpochMilli());
                }
            });
        }
        return stuck;
    }

    /** The recency index (progress-runs-by-update), newest first, as {@code <second> <runId>}. */
    List<String> recentIndex() {
        List<String> entries = new java.util.ArrayList<>();
        TimeIndex.newestFirst(driver.getKeyValueStore(ProgressTopology.RUNS_BY_UPDATE_STORE), null, entry -> {
            entries.add(entry.at() + " " + entry.id());
            return true;
        });
        return entries;
    }

    /** The same, found by reading and sorting every stored run: what the recency index must equal. */
    List<String> recentByReadingAll() {
        List<String> entries = new java.util.ArrayList<>();
        KeyValueStore<String, RunSnapshot> runs = driver.getKeyValueStore(ProgressTopology.RUNS_STORE);
        try (KeyValueIterator<String, RunSnapshot> all = runs.all()) {
            all.forEachRemaining(entry -> entries.add(RecentRuns.at(entry.value) + " " + entry.key));
        }
        entries.sort(Comparator.reverseOrder());
        return entries;
    }

    /** The activity index (progress-run-activity) as {@code <millis> <runId>}, sorted. */
    List<String> activityIndex() {
        List<String> entries = new java.util.ArrayList<>();
        TimeIndex.newestFirst(driver.getKeyValueStore(ProgressTopology.RUN_ACTIVITY_STORE), null, entry -> {
            entries.add(entry.at().toEpochMilli() + " " + entry.id());
            return true;
        });
        entries.sort(Comparator.naturalOrder());
        return entries;
    }

    /** The same, found by asking every stored run for its deadline: what the activity index must equal. */
    List<String> activityByReadingAll() {
        List<String> entries = new java.util.ArrayList<>();
        KeyValueStore<String, RunSnapshot> runs = driver.getKeyValueStore(ProgressTopology.RUNS_STORE);
        try (KeyValueIterator<String, RunSnapshot> all = runs.all()) {
            all.forEachRemaining(entry -> ActivityIndex.indexedAt(entry.value)
                    .ifPresent(at -> entries.add(at.toEpochMilli() + " " + entry.key)));
        }
        entries.sort(Comparator.naturalOrder());
        return entries;
    }

    /** The same counts, recounted from every stored run. */
    Map<String, Long> recountRuns() {
        Map<String, Long> counts = new TreeMap<>();
        KeyValueStore<String, RunSnapshot> runs = driver.getKeyValueStore(ProgressTopology.RUNS_STORE);
        try (KeyValueIterator<String, RunSnapshot> all = runs.all()) {
            all.forEachRemaining(entry -> {
                counts.merge(entry.value.status().name(), 1L, Long::sum);
                if (entry.value.stuck()) {
                    counts.merge("stuck", 1L, Long::sum);
                }
            });
        }
        return counts;
    }

    /** Whatever a store holds under a String key (null: nothing). */
    Object stored(String store, String key) {
        KeyValueStore<String, Object> values = driver.getKeyValueStore(store);
        return values.get(key);
    }

    /** A store's changelog as the broker would receive it: keys and whether each record is a tombstone. */
    TestOutputTopic<String, byte[]> changelog(String store) {
        return driver.createOutputTopic("cronstream-test-" + store + "-changelog", new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** What crossed a repartition topic, as the broker would receive it. */
    TestOutputTopic<String, byte[]> repartition(String name) {
        return driver.createOutputTopic("cronstream-test-" + name + "-repartition", new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** The commands progress has sent to the ticker (RUN_FINISHED), keyed by job id. */
    List<Command> commands() {
        return driver.createOutputTopic(topics.commands(), new StringDeserializer(),
                JsonCodec.of(Command.class).serde().deserializer()).readValuesToList();
    }

    /** Reads every topic the driver has produced to, so a long run holds no output; counts tombstones by topic. */
    Map<String, Long> drainTombstones() {
        Map<String, Long> tombstones = new TreeMap<>();
        for (String topic : driver.producedTopicNames()) {
            TestOutputTopic<byte[], byte[]> output = driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            long count = output.readValuesToList().stream().filter(Objects::isNull).count();
            tombstones.merge(topic, count, Long::sum);
        }
        return tombstones;
    }

    List<RunSnapshot> statuses() {
        return runStatus.readValuesToList();
    }

    List<StuckAlert> alerts() {
        return stuckRuns.readValuesToList();
    }

    /** What cronstream.alerts received since the last read, keyed by jobId. */
    List<TestRecord<String, Alert>> notices() {
        return alertTopic.readRecordsToList();
    }

    /** What cronstream.run-control received since the last read, keyed by runId. */
    List<TestRecord<String, RunControl>> controls() {
        return runControl.readRecordsToList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return dlq.readRecordsToList();
    }

    /** The values written so far to {@code topic} (an output or a store's changelog), as the broker gets them. */
    List<byte[]> rawValues(String topic) {
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        return driver.createOutputTopic(topic, bytes, bytes).readValuesToList();
    }

    static String changelogTopic(String store) {
        return "cronstream-test-" + store + "-changelog";
    }

    /** Index entries all stuck scans have read so far. */
    double scanReads() {
        return metricTotal(StuckScan.ENTRIES_READ + "-total");
    }

    double metricTotal(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
