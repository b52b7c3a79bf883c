package io.cronstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cronstream.connectors.EmbeddedKafka;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a Cronstream JVM hard, mid-stream, several times, and restarts it on the same state: no due
 * event is emitted twice, no fire time inside the catch-up window is lost, and every progress event
 * is counted exactly once.
 */
class CrashRecoveryTest {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryTest.class);
    private static final int KILLS = 3;
    private static final List<String> JOBS = List.of("crash-a", "crash-b", "crash-c");
    private static final String RUN = "crash-run";
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @Test
    void killedAndRestartedCronstreamNeitherDoublesNorLosesAnything() throws Exception {
        Path dir = Files.createTempDirectory("cronstream-crash");
        Topics topics = Topics.defaults();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true)) {
            kafka.createTopics(CronstreamTopics.all(topics, 3));
            int apiPort = freePort();
            CronstreamProcess cronstream = new CronstreamProcess(Map.of(
                    "CRONSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "CRONSTREAM_STATE_DIR", dir.resolve("streams").toString(),
                    "CRONSTREAM_REPLICATION_FACTOR", "1",
                    "CRONSTREAM_API_PORT", Integer.toString(apiPort),
                    "CRONSTREAM_API_MODE", "dev",
                    "CRONSTREAM_TICKER_PUNCTUATE_INTERVAL", "PT0.2S",
                    "CRONSTREAM_KAFKA_SESSION_TIMEOUT_MS", "6000",
                    "CRONSTREAM_KAFKA_HEARTBEAT_INTERVAL_MS", "1500"), Path.of("target"));
            Http api = new Http("http://localhost:" + apiPort);

            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers());
                    DueEvents due = new DueEvents(kafka.bootstrapServers(), topics.jobDue())) {
                for (String job : JOBS) {
                    send(producer, topics.jobs(), job, "{\"name\": \"" + job + "\", \"cronExpression\": \"* * * * * *\", "
                            + "\"misfirePolicy\": \"FIRE_ALL\", \"catchupWindow\": \"PT5M\"}");
                }
                sendProgress(producer, topics, null, ProgressKind.RUN_STARTED, null);
                sendProgress(producer, topics, "work", ProgressKind.STAGE_STARTED, 1_000_000L);
                producer.flush();

                AtomicBoolean reporting = new AtomicBoolean(true);
                AtomicLong reported = new AtomicLong();
                Thread workerThread = new Thread(() -> {
                    while (reporting.get()) {
                        sendProgress(producer, topics, "work", ProgressKind.PROGRESS, null);
                        producer.flush();
                        reported.incrementAndGet();
                    }
                }, "crash-test-worker");
                workerThread.start();

                Random random = new Random(20261122);
                cronstream.start();
                for (int kill = 1; kill <= KILLS; kill++) {
                    int target = due.poll().size() + 3 + random.nextInt(12);
                    await().atMost(PATIENCE).until(() -> due.poll().size() >= target);
                    cronstream.kill();
                    LOG.info("event=killed kill={} dueSoFar={} progressSent={}", kill, due.poll().size(), reported.get());
                    cronstream.start();
                }
                int afterLastStart = due.poll().size() + 5;
                await().atMost(PATIENCE).until(() -> due.poll().size() >= afterLastStart);
                reporting.set(false);
                workerThread.join();
                long sent = reported.get();

                await().atMost(PATIENCE).until(() -> {
                    Http.Answer run = api.get("/api/v1/runs/" + RUN);
                    return run.status() == 200
                            && run.body().path("stages").path("work").path("completed").asLong() == sent;
                });

                List<DueEvent> events = due.poll();
                assertThat(events).extracting(DueEvent::runId).doesNotHaveDuplicates();
                for (String job : JOBS) {
                    List<Instant> times = events.stream().filter(d -> d.jobId().equals(job))
                            .map(DueEvent::scheduledFor).sorted().toList();
                    assertThat(times).as(job).hasSizeGreaterThan(5);
                    Map<Long, Long> gaps = new TreeMap<>(java.util.stream.IntStream.range(1, times.size()).boxed()
                            .collect(Collectors.groupingBy(i -> Duration.between(times.get(i - 1), times.get(i)).toSeconds(),
                                    Collectors.counting())));
                    assertThat(gaps).as("seconds between consecutive fire times of " + job).containsOnlyKeys(1L);
                }
                LOG.info("event=crash-test-done kills={} dueEvents={} progressCounted={}", KILLS, events.size(), sent);
            } finally {
                if (cronstream.alive()) {
                    cronstream.kill();
                }
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8)));
    }

    /** No eventId: only exactly-once processing keeps these increments from being counted twice. */
    private static void sendProgress(KafkaProducer<String, byte[]> producer, Topics topics, String stage,
            ProgressKind kind, Long total) {
        StageProgressEvent event = new StageProgressEvent(RUN, null, null, stage, kind, total, null, null, null, null,
                Instant.now(), null);
        producer.send(new ProducerRecord<>(topics.stageProgress(), RUN, JsonCodec.of(StageProgressEvent.class).write(event)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
