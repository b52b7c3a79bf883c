package io.cronstream.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cronstream.api.ApiSettings;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.CronstreamApp;
import io.cronstream.app.Settings;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.local.CronstreamTopics;
import io.cronstream.local.DueEvents;
import io.cronstream.local.Http;
import io.cronstream.schemas.DueEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the broker mid-stream and starts it again on the same port and data directory, twice (down for
 * 2 s, then for 12 s: longer than the session and the transaction timeout), while
 * Cronstream (in this JVM, so its state can be watched) fires three every-second jobs and counts a
 * steady progress stream. Cronstream recovers by itself, without a restart: it never leaves
 * RUNNING/REBALANCING for ERROR, every second fires exactly once, and every progress event counts once.
 */
class BrokerRestartTest {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerRestartTest.class);
    private static final List<String> JOBS = List.of("broker-a", "broker-b", "broker-c");
    private static final String RUN = "broker-run";
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @Test
    void cronstreamRidesOutABrokerRestartWithoutDoublingOrLosingAnything() throws Exception {
        Path dir = Files.createTempDirectory("cronstream-broker");
        EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true);
        int port = kafka.port();
        String bootstrap = kafka.bootstrapServers();
        Settings settings = Settings.of(Map.of(
                "cronstream.bootstrap.servers", bootstrap,
                "cronstream.state.dir", dir.resolve("streams").toString(),
                "cronstream.replication.factor", "1",
                "cronstream.ticker.punctuate.interval", "PT0.2S",
                "cronstream.api.mode", "dev",
                "cronstream.api.host", "127.0.0.1",
                "cronstream.api.advertised.host", "localhost",
                "cronstream.api.port", "0"));
        CronstreamApp app = new CronstreamApp(settings);
        kafka.createTopics(CronstreamTopics.all(app.topics(), 3));
        CronstreamService service = new CronstreamService(app, CronstreamApp.apiSettings(settings), Clock.systemUTC());
        List<String> transitions = Collections.synchronizedList(new ArrayList<>());
        service.streams().setStateListener((to, from) -> transitions.add(from + "→" + to));
        try (KafkaProducer<String, byte[]> producer = FaultKit.producer(bootstrap);
                DueEvents due = new DueEvents(bootstrap, app.topics().jobDue());
                ProgressStream worker = new ProgressStream(producer, app.topics().stageProgress(), RUN, "work")) {
            service.start();
            Http api = new Http("http://localhost:" + service.api().port());
            Instant jobsSent = Instant.now();
            for (String job : JOBS) {
                FaultKit.send(producer, app.topics().jobs(), job, FaultKit.EVERY_SECOND.formatted(job));
            }
            worker.start(Duration.ofMillis(5));
            await().atMost(PATIENCE).until(() -> JOBS.stream().allMatch(job -> due.forJob(job).size() >= 3));

            Instant firingAgainFrom = null;
            // A short outage, then one longer than the session (6 s) and the transaction timeout (10 s).
            for (Duration outage : List.of(Duration.ofSeconds(2), Duration.ofSeconds(12))) {
                int restart = outage.getSeconds() < 10 ? 1 : 2;
                kafka.close();
                Instant stopped = Instant.now();
                Thread.sleep(outage.toMillis()); // the outage itself, not a wait for something
                LOG.info("event=broker-stopped restart={} dueSoFar={} progressAcked={}", restart, due.poll().size(),
                        worker.acknowledged());
                kafka = EmbeddedKafka.start(port, dir.resolve("kafka"), false);
                LOG.info("event=broker-started restart={} downMs={}", restart,
                        Duration.between(stopped, Instant.now()).toMillis());
                Instant back = Instant.now();
                firingAgainFrom = back.plusSeconds(2);
                await().atMost(PATIENCE).until(() -> JOBS.stream().allMatch(job -> due.forJob(job).stream()
                        .anyMatch(d -> d.scheduledFor().isAfter(back.plusSeconds(2)))));
                LOG.info("event=firing-again restart={} afterMs={}", restart, Duration.between(back, Instant.now()).toMillis());
            }
            long sent = worker.stop();
            await().atMost(PATIENCE).until(() -> {
                Http.Answer run = api.get("/api/v1/runs/" + RUN);
                return run.status() == 200 && run.body().path("stages").path("work").path("completed").asLong() >= sent;
            });
            assertThat(api.get("/api/v1/runs/" + RUN).body().path("stages").path("work").path("completed").asLong())
                    .as("progress events counted").isEqualTo(sent);
            List<DueEvent> events = due.poll();
            for (String job : JOBS) {
                FaultKit.assertEverySecondOnce(events, job, jobsSent.plusSeconds(30), firingAgainFrom);
            }
            LOG.info("event=broker-test-done transitions={} dueEvents={} progressCounted={}", transitions, events.size(), sent);
            assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(transitions).as("state transitions").noneMatch(t -> t.contains("ERROR") || t.contains("SHUTDOWN")
                    || t.endsWith("NOT_RUNNING"));
        } finally {
            service.close();
            kafka.close();
        }
    }
}
