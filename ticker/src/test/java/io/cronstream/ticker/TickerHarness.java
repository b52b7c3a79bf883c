package io.cronstream.ticker;

import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** The ticker in a {@link TopologyTestDriver} with a wall clock the test moves. */
final class TickerHarness implements AutoCloseable {

    static final Topics TOPICS = Topics.defaults();

    final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> jobs;
    private final TestInputTopic<byte[], byte[]> commands;
    private final TestOutputTopic<String, DueEvent> due;
    private final TestOutputTopic<byte[], byte[]> dlq;
    private Instant now;

    TickerHarness(Instant start) {
        this(start, TickerConfig.defaults(TOPICS), tempDir());
    }

    TickerHarness(Instant start, TickerConfig config, Path stateDir) {
        this(start, config, stateDir, System::nanoTime);
    }

    TickerHarness(Instant start, TickerConfig config, Path stateDir, java.util.function.LongSupplier nanoClock) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ticker-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        this.driver = new TopologyTestDriver(TickerTopology.build(config, nanoClock), props, start);
        this.now = start;
        ByteArraySerializer bytes = new ByteArraySerializer();
        this.jobs = driver.createInputTopic(TOPICS.jobs(), bytes, bytes);
        this.commands = driver.createInputTopic(TOPICS.commands(), bytes, bytes);
        this.due = driver.createOutputTopic(TOPICS.jobDue(), new StringDeserializer(),
                TickerTopology.DUE_EVENTS.serde().deserializer());
        this.dlq = driver.createOutputTopic(TOPICS.dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("ticker-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Instant now() {
        return now;
    }

    void putJob(String id, String json) {
        jobs.pipeInput(utf8(id), json == null ? null : utf8(json), now);
    }

    void putRaw(byte[] key, byte[] value) {
        jobs.pipeInput(key, value, now);
    }

    /** A reconciliation repair of {@code id} ({@code json} null: a tombstone), decided on {@code expectedPosition}. */
    void putRepair(String id, String json, long expectedPosition, Instant readAt) {
        jobs.pipeInput(new TestRecord<>(utf8(id), json == null ? null : utf8(json),
                JobRepair.headers(expectedPosition, readAt), now));
    }

    JobSource source(String id) {
        KeyValueStore<String, JobSource> store = driver.getKeyValueStore(TickerTopology.SOURCES_STORE);
        return store.get(id);
    }

    void deleteJob(String id) {
        putJob(id, null);
    }

    void trigger(String id, String triggeredBy) {
        command(id, JsonCodec.of(Command.class).write(Command.trigger(id, triggeredBy, now)));
    }

    void runFinished(String jobId, String runId) {
        command(jobId, JsonCodec.of(Command.class).write(Command.runFinished(jobId, runId, "COMPLETED", now)));
    }

    void command(String key, byte[] value) {
        commands.pipeInput(key == null ? null : utf8(key), value, now);
    }

    /** Moves the wall clock by {@code by} in one step: one punctuation, as after a downtime. */
    void jump(Duration by) {
        now = now.plus(by);
        driver.advanceWallClockTime(by);
    }

    /** Moves the wall clock to {@code until} in steps of {@code step}, as a running ticker would see it. */
    void runUntil(Instant until, Duration step) {
        while (now.isBefore(until)) {
            Duration left = Duration.between(now, until);
            jump(left.compareTo(step) < 0 ? left : step);
        }
    }

    List<DueEvent> due() {
        List<DueEvent> events = new ArrayList<>();
        while (!due.isEmpty()) {
            events.add(due.readValue());
        }
        return events;
    }

    List<Instant> dueTimes() {
        return due().stream().map(DueEvent::scheduledFor).toList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return dlq.readRecordsToList();
    }

    JobState job(String id) {
        KeyValueStore<String, JobState> store = driver.getKeyValueStore(TickerTopology.JOBS_STORE);
        return store.get(id);
    }

    long scheduleEntries() {
        KeyValueStore<Object, Object> store = driver.getKeyValueStore(TickerTopology.SCHEDULE_STORE);
        return store.approximateNumEntries();
    }

    /** Sum of a ticker metric over its tags. */
    double metric(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(TickerMetrics.GROUP) && e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    /** The DLQ counter for one source topic and reason category. */
    double dlqMetric(String topic, String reason) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-cronstream-dlq-metrics")
                        && topic.equals(e.getKey().tags().get("source-topic"))
                        && reason.equals(e.getKey().tags().get("reason")))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A new driver at this one's wall clock whose stores are rebuilt from this driver's changelog
     * topics, as Kafka Streams restores state after a crash; this driver is closed.
     */
    TickerHarness restart(TickerConfig config) {
        TickerHarness next = new TickerHarness(now, config, tempDir());
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        restore(next, TickerTopology.JOBS_STORE, TickerTopology.JOB_STATES::read);
        restore(next, TickerTopology.RUNS_STORE, JsonCodec.of(MadeRuns.MadeRun.class)::read);
        restore(next, TickerTopology.SOURCES_STORE, TickerTopology.JOB_SOURCES::read);
        for (String index : List.of(TickerTopology.SCHEDULE_STORE, TickerTopology.NAMES_STORE,
                TickerTopology.RETRIES_STORE, TickerTopology.RUNS_EXPIRY_STORE, TickerTopology.SOURCES_REMOVED_STORE)) {
            KeyValueStore<Bytes, byte[]> restored = next.driver.getKeyValueStore(index);
            for (TestRecord<byte[], byte[]> r : driver.createOutputTopic(changelog(index), bytes, bytes)
                    .readRecordsToList()) {
                if (r.value() == null) {
                    restored.delete(Bytes.wrap(r.key()));
                } else {
                    restored.put(Bytes.wrap(r.key()), r.value());
                }
            }
        }
        close();
        return next;
    }

    /** Rebuilds {@code next}'s string-keyed {@code store} from this driver's changelog of it. */
    private <V> void restore(TickerHarness next, String store, java.util.function.Function<byte[], V> read) {
        KeyValueStore<String, V> restored = next.driver.getKeyValueStore(store);
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        for (TestRecord<byte[], byte[]> r : driver.createOutputTopic(changelog(store), bytes, bytes).readRecordsToList()) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                restored.delete(key);
            } else {
                restored.put(key, read.apply(r.value()));
            }
        }
    }

    private static String changelog(String store) {
        return "ticker-test-" + store + "-changelog";
    }

    @Override
    public void close() {
        driver.close();
    }

}
