package io.cronstream.topology.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recent-alerts store in a TopologyTestDriver: order, dedupe, counts, the bound and the retention. */
class AlertsTopologyTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final JsonCodec<Alert> CODEC = JsonCodec.of(Alert.class);

    private final Topics topics = Topics.defaults();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> alerts;
    private TestOutputTopic<byte[], byte[]> dlq;

    private void start(AlertsConfig config) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        AlertsTopology.addTo(builder, config);
        Path target = Files.createDirectories(Path.of("target", "kafka-streams"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cronstream-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(target, "alerts-test").toString());
        driver = new TopologyTestDriver(builder.build(), props, T0);
        alerts = driver.createInputTopic(topics.alerts(), new ByteArraySerializer(), new ByteArraySerializer(), T0,
                Duration.ZERO);
        dlq = driver.createOutputTopic(topics.dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void send(Alert alert) {
        alerts.pipeInput(alert.jobId().getBytes(StandardCharsets.UTF_8), CODEC.write(alert));
    }

    private static Alert alert(AlertKind kind, String jobId, String runId, Instant at) {
        return new Alert(kind, jobId, runId, runId == null ? null : 1, at, kind + " of " + jobId);
    }

    private List<Alert> newestFirst() {
        KeyValueStore<Bytes, Alert> store = driver.getKeyValueStore(AlertsTopology.ALERTS_STORE);
        List<Alert> seen = new ArrayList<>();
        RecentAlerts.newestFirst(store, null, seen::add);
        return seen;
    }

    private Long count(String key) {
        KeyValueStore<String, Long> counts = driver.getKeyValueStore(AlertsTopology.ALERT_COUNTS_STORE);
        return counts.get(key);
    }

    @Test
    void keepsAlertsNewestFirstCountsEachKindAndKeepsARepeatOnce() throws Exception {
        start(AlertsConfig.defaults(topics));
        Alert failed = alert(AlertKind.FAILED, "nightly", "nightly@1", T0.plusSeconds(1));
        Alert stuck = alert(AlertKind.STUCK, "hourly", "hourly@1", T0.plusSeconds(3));
        Alert paused = alert(AlertKind.PAUSED, "nightly", null, T0.plusSeconds(2));
        send(failed);
        send(stuck);
        send(paused);
        send(failed); // delivered twice

        assertThat(newestFirst()).containsExactly(stuck, paused, failed);
        assertThat(count("FAILED")).isEqualTo(1L);
        assertThat(count("STUCK")).isEqualTo(1L);
        assertThat(count("PAUSED")).isEqualTo(1L);
        assertThat(count(AlertCounts.STORED)).isEqualTo(3L);

        // a page after the second alert starts strictly after it
        KeyValueStore<Bytes, Alert> store = driver.getKeyValueStore(AlertsTopology.ALERTS_STORE);
        List<Alert> rest = new ArrayList<>();
        RecentAlerts.newestFirst(store, RecentAlerts.place(paused), rest::add);
        assertThat(rest).containsExactly(failed);
    }

    @Test
    void dropsTheOldestPastTheBoundAndTheExpiredOnTheSweepKeepingTheKindCounts() throws Exception {
        start(AlertsConfig.defaults(topics).withMaxPerPartition(3).withRetention(Duration.ofHours(1))
                .withSweepInterval(Duration.ofMinutes(1)));
        for (int i = 0; i < 5; i++) {
            send(alert(AlertKind.FAILED, "job-" + i, "job-" + i + "@1", T0.plusSeconds(i)));
        }
        assertThat(newestFirst()).extracting(Alert::jobId).containsExactly("job-4", "job-3", "job-2");
        assertThat(count(AlertCounts.STORED)).isEqualTo(3L);

        send(alert(AlertKind.MISSED, "late", "late@1", T0.plus(Duration.ofMinutes(90))));
        driver.advanceWallClockTime(Duration.ofMinutes(61)); // now T0+61m: job-2..4 (T0+2s..4s) are past the hour
        assertThat(newestFirst()).extracting(Alert::jobId).containsExactly("late");
        assertThat(count(AlertCounts.STORED)).isEqualTo(1L);
        assertThat(count("FAILED")).isEqualTo(5L); // a counter: removal does not take an alert back
        assertThat(count("MISSED")).isEqualTo(1L);
    }

    @Test
    void anUnreadableAlertGoesToTheDlq() throws Exception {
        start(AlertsConfig.defaults(topics));
        alerts.pipeInput("x".getBytes(StandardCharsets.UTF_8), "{\"kind\":\"NOPE\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(dlq.readRecordsToList()).hasSize(1);
        assertThat(newestFirst()).isEmpty();
    }
}
