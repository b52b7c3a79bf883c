package io.cronstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.topology.ProgressTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ticker and progress composed: a SKIP job does not fire while its previous run is still going. */
class OverlapSkipTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");

    private final CronstreamApp app = new CronstreamApp(Settings.of(Map.of()));
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, String> jobs;
    private final TestInputTopic<String, String> progress;
    private final TestOutputTopic<String, DueEvent> due;
    private Instant now = START;

    OverlapSkipTest() throws Exception {
        Properties props = app.streamsProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("overlap").toString());
        driver = new TopologyTestDriver(app.topology(), props, START);
        StringSerializer strings = new StringSerializer();
        jobs = driver.createInputTopic(app.topics().jobs(), strings, strings);
        progress = driver.createInputTopic(app.topics().stageProgress(), strings, strings);
        due = driver.createOutputTopic(app.topics().jobDue(), new StringDeserializer(),
                JsonCodec.of(DueEvent.class).serde().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private void advanceTo(Instant until) {
        while (now.isBefore(until)) {
            now = now.plus(Duration.ofSeconds(30));
            driver.advanceWallClockTime(Duration.ofSeconds(30));
        }
    }

    private void report(String runId, ProgressKind kind) {
        StageProgressEvent event = new StageProgressEvent(runId, null, null, null, kind, null, null, null, null, null,
                now, null);
        progress.pipeInput(runId, new String(JsonCodec.of(StageProgressEvent.class).write(event), StandardCharsets.UTF_8), now);
    }

    private RunSnapshot run(String runId) {
        KeyValueStore<String, RunSnapshot> runs = driver.getKeyValueStore(ProgressTopology.RUNS_STORE);
        return runs.get(runId);
    }

    @Test
    void aLongRunningRunHoldsBackTheNextFiresUntilItFinishes() {
        jobs.pipeInput("sync", "{\"name\": \"sync\", \"cron\": \"*/10 * * * *\", \"overlapPolicy\": \"SKIP\"}", now);

        advanceTo(Instant.parse("2026-01-05T10:10:30Z"));
        List<DueEvent> first = due.readValuesToList();
        assertThat(first).hasSize(1);
        String running = first.get(0).runId();
        report(running, ProgressKind.RUN_STARTED);
        assertThat(run(running).status()).isEqualTo(RunStatus.RUNNING);

        // 10:20 and 10:30 pass while the 10:10 run is still going.
        advanceTo(Instant.parse("2026-01-05T10:35:00Z"));
        assertThat(due.readValuesToList()).isEmpty();

        report(running, ProgressKind.RUN_COMPLETED);
        assertThat(run(running).status()).isEqualTo(RunStatus.COMPLETED);

        advanceTo(Instant.parse("2026-01-05T10:41:00Z"));
        assertThat(due.readValuesToList()).extracting(DueEvent::scheduledFor)
                .containsExactly(Instant.parse("2026-01-05T10:40:00Z"));
    }
}
