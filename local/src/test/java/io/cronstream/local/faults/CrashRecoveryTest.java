package io.cronstream.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.local.CronstreamProcess;
import io.cronstream.local.CronstreamTopics;
import io.cronstream.local.DueEvents;
import io.cronstream.local.Http;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a Cronstream JVM with SIGKILL at {@value #KILLS} random moments (while it starts, restores,
 * fires, or counts progress) and restarts it on the same state each time, while three jobs fire every
 * second and a worker reports progress at a steady rate. In the end every second of every job fired
 * exactly once (all inside the catch-up window) and every progress event was counted exactly once.
 *
 * <p>Restarts are fast because the instance uses static membership ({@code group.instance.id}; Kafka
 * Streams appends the thread index): a restarted instance takes its own place in the group at once
 * instead of waiting for the dead member's session to expire, and its transactional producer (same
 * id, from the process id kept in the state directory) fences and aborts the dead one's open transaction.
 */
class CrashRecoveryTest {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryTest.class);
    private static final int KILLS = 20;
    private static final List<String> JOBS = List.of("crash-a", "crash-b", "crash-c");
    private static final String RUN = "crash-run";
    private static final String INSTANCE_ID = "crash-instance";
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @Test
    void twentyHardKillsNeitherDoubleNorLoseAFireOrAProgressEvent() throws Exception {
        Path dir = Files.createTempDirectory("cronstream-crash");
        Topics topics = Topics.defaults();
        long testStarted = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true)) {
            kafka.createTopics(CronstreamTopics.all(topics, 3));
            int apiPort = FaultKit.freePort();
            CronstreamProcess cronstream = new CronstreamProcess("crash", FaultKit.instanceEnv(kafka.bootstrapServers(),
                    dir.resolve("streams").toString(), apiPort, Map.of(
                            "CRONSTREAM_KAFKA_GROUP_INSTANCE_ID", INSTANCE_ID)), Path.of("target"));
            Http api = new Http("http://localhost:" + apiPort);

            try (KafkaProducer<String, byte[]> producer = FaultKit.producer(kafka.bootstrapServers());
                    DueEvents due = new DueEvents(kafka.bootstrapServers(), topics.jobDue());
                    ProgressStream worker = new ProgressStream(producer, topics.stageProgress(), RUN, "work")) {
                Instant jobsSent = Instant.now();
                for (String job : JOBS) {
                    FaultKit.send(producer, topics.jobs(), job, FaultKit.EVERY_SECOND.formatted(job));
                }
                worker.start(Duration.ofMillis(5));

                Random random = new Random(20261122);
                cronstream.start();
                await().atMost(PATIENCE).until(() -> due.poll().size() >= JOBS.size());
                assertStaticMembership(kafka.bootstrapServers());
                int afterEvents = 0;
                for (int kill = 1; kill <= KILLS; kill++) {
                    long started = System.nanoTime();
                    String moment;
                    if (random.nextBoolean()) {
                        // while it works: after a few committed fires of this life, plus a jitter that
                        // lands anywhere in the next punctuation or commit
                        int target = due.poll().size() + 1 + random.nextInt(4);
                        await().atMost(PATIENCE).until(() -> due.poll().size() >= target);
                        int jitter = random.nextInt(400);
                        Thread.sleep(jitter); // the kill moment itself, not a wait for something
                        moment = "after fires +" + jitter + "ms";
                        afterEvents++;
                    } else {
                        // anywhere in its life: JVM start, joining, restoring, firing
                        int delay = 300 + random.nextInt(5_000);
                        Thread.sleep(delay); // the kill moment itself, not a wait for something
                        moment = delay + "ms after start";
                    }
                    cronstream.kill();
                    LOG.info("event=killed kill={} moment=\"{}\" lifeMs={} dueSoFar={} progressAcked={}", kill, moment,
                            FaultKit.since(started).toMillis(), due.poll().size(), worker.acknowledged());
                    cronstream.start();
                }
                Instant lastStart = Instant.now();
                await().atMost(PATIENCE).until(() -> JOBS.stream().allMatch(job ->
                        FaultKit.fireTimes(due.poll(), job).stream().anyMatch(t -> t.isAfter(lastStart.plusSeconds(3)))));
                long sent = worker.stop();

                await().atMost(PATIENCE).until(() -> {
                    Http.Answer run = api.get("/api/v1/runs/" + RUN);
                    return run.status() == 200
                            && run.body().path("stages").path("work").path("completed").asLong() >= sent;
                });
                assertThat(api.get("/api/v1/runs/" + RUN).body().path("stages").path("work").path("completed").asLong())
                        .as("progress events counted").isEqualTo(sent);

                List<DueEvent> events = due.poll();
                assertThat(events).extracting(DueEvent::runId).doesNotHaveDuplicates();
                for (String job : JOBS) {
                    FaultKit.assertEverySecondOnce(events, job, jobsSent.plusSeconds(60), lastStart.plusSeconds(3));
                }
                assertThat(cronstream.starts()).isEqualTo(KILLS + 1);
                LOG.info("event=crash-test-done kills={} killsWhileFiring={} dueEvents={} progressCounted={} seconds={}",
                        KILLS, afterEvents, events.size(), sent, FaultKit.since(testStarted).toSeconds());
            } finally {
                if (cronstream.alive()) {
                    cronstream.kill();
                }
            }
        }
    }

    /** Kafka Streams 4.3.1 passes {@code group.instance.id} on, with the thread index appended. */
    private static void assertStaticMembership(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<String> instances = admin.describeConsumerGroups(List.of("cronstream")).all().get().get("cronstream")
                    .members().stream().map(MemberDescription::groupInstanceId)
                    .map(id -> id.orElse("<dynamic>")).toList();
            assertThat(instances).containsExactly(INSTANCE_ID + "-1");
        }
    }
}
