package io.cronstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.app.Generated.Raw;
import io.cronstream.schemas.DueEvent;
import io.cronstream.streams.HandledFailures;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Trigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The composed application on a {@code TopologyTestDriver}, with a healthy every-second job, for generated
 * input. Checks after every second of driver time that the healthy job fired exactly once, and after every
 * step that nothing reached the last-resort handler and no job was parked: either would be a defect that
 * the processors' own checks missed.
 */
final class FuzzBed implements AutoCloseable {

    static final Instant START = Instant.parse("2026-01-05T10:00:00Z");
    static final String HEALTHY = "healthy-every-second";

    private final TopologyTestDriver driver;
    private final Path stateDir;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
    private final Map<String, Long> offsets = new HashMap<>();
    private final TestOutputTopic<String, DueEvent> due;
    private final TestOutputTopic<byte[], byte[]> dlq;
    private final List<String> readByTheTests;
    private final Map<String, TestOutputTopic<byte[], byte[]>> otherOutputs = new HashMap<>();
    private final long unexpectedAtStart = unexpectedFailures();
    private Instant now = START;

    FuzzBed(CronstreamApp app) {
        try {
            stateDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "kafka-streams")), "fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = app.streamsProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(app.topology(), props, START);
        ByteArraySerializer bytes = new ByteArraySerializer();
        // job-due is an output only: in the composed application progress takes the ticker's due stream
        for (String topic : List.of(app.topics().jobs(), app.topics().commands(), app.topics().stageProgress(),
                app.topics().fileChanges())) {
            inputs.put(topic, driver.createInputTopic(topic, bytes, bytes));
        }
        ByteArrayDeserializer raw = new ByteArrayDeserializer();
        due = driver.createOutputTopic(app.topics().jobDue(), new StringDeserializer(),
                JsonCodec.of(DueEvent.class).serde().deserializer());
        dlq = driver.createOutputTopic(app.topics().dlq(), raw, raw);
        readByTheTests = List.of(app.topics().jobDue(), app.topics().dlq());
        pipe(app.topics().jobs(), new Raw(Generated.utf8(HEALTHY), Generated.utf8("{\"cron\": \"* * * * * *\"}")));
        deadLetters();
    }

    Instant now() {
        return now;
    }

    long nextOffset(String topic) {
        return offsets.getOrDefault(topic, 0L);
    }

    /** Pipes one record at the driver's time and returns its offset; nothing may escape or fail unexpectedly. */
    long pipe(String topic, Raw record) {
        long offset = nextOffset(topic);
        inputs.get(topic).pipeInput(record.key(), record.value(), now);
        offsets.put(topic, offset + 1);
        assertNoUnexpectedFailure(record.toString());
        return offset;
    }

    /** One second of wall clock: the ticker punctuates, the healthy job fires exactly once, for this second. */
    void tick() {
        now = now.plusSeconds(1);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<DueEvent> healthy = due.readValuesToList().stream()
                .filter(event -> event.jobId().equals(HEALTHY) && event.trigger() == Trigger.SCHEDULE).toList();
        assertThat(healthy).extracting(DueEvent::scheduledFor).as("the healthy job's fires at " + now)
                .containsExactly(now);
        drainOtherOutputs();
        deadLetters();
        assertNoUnexpectedFailure("the punctuation at " + now);
    }

    /**
     * The driver keeps every record produced until it is read, changelogs and repartition topics included: a
     * long run (hundreds of thousands of records of up to 256 KB) would otherwise fill the heap.
     */
    private void drainOtherOutputs() {
        ByteArrayDeserializer raw = new ByteArrayDeserializer();
        for (String topic : driver.producedTopicNames()) {
            if (!readByTheTests.contains(topic)) {
                otherOutputs.computeIfAbsent(topic, name -> driver.createOutputTopic(name, raw, raw))
                        .readRecordsToList();
            }
        }
    }

    /** Due events emitted since the last read: by a record's processing, since punctuations run only in tick. */
    List<DueEvent> emitted() {
        return due.readValuesToList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return dlq.readRecordsToList();
    }

    <K, V> KeyValueStore<K, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    static String header(TestRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void assertNoUnexpectedFailure(String after) {
        assertThat(unexpectedFailures() - unexpectedAtStart)
                .as("records the DeadLetterHandler caught after " + after).isZero();
        assertThat(metricSum("jobs-parked-total")).as("jobs parked after " + after).isZero();
    }

    private double metricSum(String name) {
        return driver.metrics().entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    private static long unexpectedFailures() {
        return HandledFailures.byTopic().values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        driver.close();
    }
}
