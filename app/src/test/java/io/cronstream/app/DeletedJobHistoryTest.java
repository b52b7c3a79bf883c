package io.cronstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.JobHistory;
import io.cronstream.topology.ProgressTopology;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ticker and progress composed (DESIGN §10): a deleted job's history goes once the run retention has passed
 * since the deletion, with a tombstone on its changelog; a job defined again within the retention keeps it.
 */
class DeletedJobHistoryTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration SCAN = Duration.ofSeconds(10);

    private final CronstreamApp app = new CronstreamApp(Settings.of(Map.of(
            "cronstream.progress.run.retention", RETENTION.toString(),
            "cronstream.progress.stuck.scan.interval", SCAN.toString())));
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, String> jobs;
    private Instant now = START;

    DeletedJobHistoryTest() throws Exception {
        Properties props = app.streamsProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("deleted-job").toString());
        driver = new TopologyTestDriver(app.topology(), props, START);
        jobs = driver.createInputTopic(app.topics().jobs(), new StringSerializer(), new StringSerializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aDeletedJobsHistoryGoesAfterTheRetentionAndAJobDefinedAgainKeepsIt() {
        define("gone");
        define("back");
        define("kept");
        advance(Duration.ofMinutes(3));
        assertThat(history("gone").items()).isNotEmpty();
        assertThat(history("back").items()).isNotEmpty();

        delete("gone");
        delete("back");
        Instant deletedAt = now;
        advance(Duration.ofMinutes(5));
        // Defined again, disabled: no run will ever say so, the definition alone brings it back.
        jobs.pipeInput("back", "{\"name\": \"back\", \"cron\": \"* * * * *\", \"enabled\": false}", now);

        advanceTo(deletedAt.plus(RETENTION).minus(SCAN));
        assertThat(history("gone")).as("within the retention").isNotNull();
        historyChangelog(); // only what the sweep writes from here on counts

        advanceTo(deletedAt.plus(RETENTION).plus(SCAN.multipliedBy(2)));
        assertThat(history("gone")).as("past the retention").isNull();
        assertThat(history("back")).as("defined again within the retention").isNotNull();
        assertThat(history("kept")).as("never deleted").isNotNull();
        assertThat(historyChangelog()).contains(KeyValue.pair("gone", null))
                .noneMatch(record -> record.value == null && !record.key.equals("gone"));
    }

    @Test
    void aJobDeletedAgainAfterComingBackGoesARetentionAfterItsLastDeletion() {
        define("twice");
        advance(Duration.ofMinutes(2));
        delete("twice");
        advance(Duration.ofMinutes(30));
        define("twice");
        advance(Duration.ofMinutes(2));
        delete("twice");
        Instant lastDeletion = now;

        advanceTo(lastDeletion.plus(RETENTION).minus(SCAN));
        assertThat(history("twice")).isNotNull();
        advanceTo(lastDeletion.plus(RETENTION).plus(SCAN.multipliedBy(2)));
        assertThat(history("twice")).isNull();
    }

    private void define(String jobId) {
        jobs.pipeInput(jobId, "{\"name\": \"" + jobId + "\", \"cron\": \"* * * * *\"}", now);
    }

    private void delete(String jobId) {
        jobs.pipeInput(jobId, null, now);
    }

    private void advance(Duration by) {
        advanceTo(now.plus(by));
    }

    /** In steps of the scan interval, as a running instance's punctuations would go. */
    private void advanceTo(Instant until) {
        while (now.isBefore(until)) {
            now = now.plus(SCAN);
            driver.advanceWallClockTime(SCAN);
        }
    }

    private JobHistory history(String jobId) {
        KeyValueStore<String, JobHistory> histories = driver.getKeyValueStore(ProgressTopology.JOB_HISTORY_STORE);
        return histories.get(jobId);
    }

    /** What {@code progress-job-history}'s changelog got since the last call, values as text. */
    private java.util.List<KeyValue<String, String>> historyChangelog() {
        String topic = app.settings().string("cronstream.application.id", "cronstream") + "-"
                + ProgressTopology.JOB_HISTORY_STORE + "-changelog";
        return driver.createOutputTopic(topic, new StringDeserializer(), new StringDeserializer()).readKeyValuesToList();
    }
}
