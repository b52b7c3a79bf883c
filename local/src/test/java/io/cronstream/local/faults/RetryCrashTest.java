package io.cronstream.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.local.CronstreamProcess;
import io.cronstream.local.CronstreamTopics;
import io.cronstream.local.DueEvents;
import io.cronstream.local.Http;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.Topics;
import io.cronstream.schemas.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crash between a failure and its retry (DESIGN §12): a run fails, the Cronstream JVM is killed with SIGKILL
 * at a different moment each round (as soon as the failure is visible, halfway through the backoff, just before
 * the retry is due), restarted on the same state, and the retry still fires exactly once, with attempt 2. After each
 * restart the trigger request is retried and the failure reported again: the runs the ticker made
 * ({@code ticker-runs}, restored from its changelog) make neither a second first try nor a second retry.
 */
class RetryCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(RetryCrashTest.class);
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final String JOB = "retry-crash";
    private static final String SENTINEL = "retry-crash-sentinel";
    private static final Duration BACKOFF = Duration.ofSeconds(4);
    /** After each restart, how far past the retry the sentinel job must fire before "no second retry" counts. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final JsonCodec<StageProgressEvent> PROGRESS = JsonCodec.of(StageProgressEvent.class);
    private static final JsonCodec<Command> COMMANDS = JsonCodec.of(Command.class);

    @Test
    void aRetryFiresExactlyOnceWhateverMomentTheInstanceDiesBetweenTheFailureAndIt() throws Exception {
        Path dir = Files.createTempDirectory("cronstream-retry-crash");
        Topics topics = Topics.defaults();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true)) {
            kafka.createTopics(CronstreamTopics.all(topics, 3));
            int apiPort = FaultKit.freePort();
            CronstreamProcess cronstream = new CronstreamProcess("retry-crash", FaultKit.instanceEnv(
                    kafka.bootstrapServers(), dir.resolve("streams").toString(), apiPort, Map.of(
                            "CRONSTREAM_KAFKA_GROUP_INSTANCE_ID", "retry-crash-instance",
                            "CRONSTREAM_PROGRESS_STUCK_SCAN_INTERVAL", "PT0.5S")), Path.of("target"));
            Http api = new Http("http://localhost:" + apiPort);
            try (KafkaProducer<String, byte[]> producer = FaultKit.producer(kafka.bootstrapServers());
                    DueEvents due = new DueEvents(kafka.bootstrapServers(), topics.jobDue())) {
                FaultKit.send(producer, topics.jobs(), JOB, """
                        {"name": "flaky", "scheduleType": "Manual",
                         "retry": {"maxAttempts": 2, "initialInterval": "PT%dS", "jitter": 0}}"""
                        .formatted(BACKOFF.toSeconds()));
                FaultKit.send(producer, topics.jobs(), SENTINEL, FaultKit.EVERY_SECOND.formatted(SENTINEL));
                producer.flush();
                cronstream.start();
                await().atMost(PATIENCE).ignoreExceptions()
                        .until(() -> api.get("/api/v1/jobs/" + JOB).status() == 200);

                // kill moments, measured from when the failed run is visible in the API
                List<Duration> kills = List.of(Duration.ZERO, BACKOFF.dividedBy(2), BACKOFF.minusMillis(300));
                for (int round = 0; round < kills.size(); round++) {
                    String firstRun = DueEvent.manualRunIdFor(JOB, "round-" + round);
                    Command trigger = Command.trigger(JOB, "retry-crash-test", Instant.now(), "round-" + round);
                    producer.send(new ProducerRecord<>(topics.commands(), JOB, COMMANDS.write(trigger)));
                    producer.flush();
                    await().atMost(PATIENCE).until(() -> due.forJob(JOB).stream()
                            .anyMatch(d -> d.runId().equals(firstRun)));

                    report(producer, topics, firstRun, ProgressKind.RUN_STARTED, null);
                    report(producer, topics, firstRun, ProgressKind.RUN_FAILED, "round " + round + " failed");
                    await().atMost(PATIENCE).ignoreExceptions().until(() -> {
                        Http.Answer run = api.get("/api/v1/runs/" + firstRun);
                        return run.status() == 200 && run.body().path("status").asText().equals("FAILED");
                    });
                    Duration moment = kills.get(round);
                    Thread.sleep(moment.toMillis()); // the kill moment itself, not a wait for something
                    cronstream.kill();
                    LOG.info("event=killed round={} afterFailureMs={}", round, moment.toMillis());
                    cronstream.start();
                    // after the crash: the client retries its request, the worker reports the failure again; the
                    // restored ticker-runs knows both (the same run, its end already heard)
                    producer.send(new ProducerRecord<>(topics.commands(), JOB, COMMANDS.write(
                            Command.trigger(JOB, "retry-crash-test", Instant.now(), "round-" + round))));
                    report(producer, topics, firstRun, ProgressKind.RUN_FAILED, "round " + round + " failed");

                    String retryRun = DueEvent.retryRunIdFor(firstRun, 2);
                    DueEvent retry = await().atMost(PATIENCE).until(() -> due.forJob(JOB).stream()
                            .filter(d -> d.runId().equals(retryRun)).findFirst().orElse(null), d -> d != null);
                    assertThat(retry.trigger()).isEqualTo(Trigger.RETRY);
                    assertThat(retry.attempt()).isEqualTo(2);
                    assertThat(retry.retryOf()).isEqualTo(firstRun);
                    Instant retried = retry.firedAt();
                    await().atMost(PATIENCE).until(() -> FaultKit.fireTimes(due.poll(), SENTINEL).stream()
                            .anyMatch(t -> t.isAfter(retried.plus(SETTLE))));
                    assertThat(due.forJob(JOB)).extracting(DueEvent::runId)
                            .as("round %d: the first try and its one retry, each once", round)
                            .filteredOn(id -> id.startsWith(firstRun))
                            .containsExactly(firstRun, retryRun);
                }
                assertThat(due.forJob(JOB)).extracting(DueEvent::runId).doesNotHaveDuplicates();
                assertThat(cronstream.starts()).isEqualTo(kills.size() + 1);
            } finally {
                if (cronstream.alive()) {
                    cronstream.kill();
                }
            }
        }
    }

    private static void report(KafkaProducer<String, byte[]> producer, Topics topics, String runId, ProgressKind kind,
            String error) {
        StageProgressEvent event = new StageProgressEvent(runId, null, null, null, kind, null, null, null, null, null,
                Instant.now(), null, null, error);
        producer.send(new ProducerRecord<>(topics.stageProgress(), runId, PROGRESS.write(event)));
        producer.flush();
    }
}
