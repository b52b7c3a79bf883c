package io.cronstream.app.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.cronstream.api.AutoPause;
import io.cronstream.api.MongoJobs;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.devstack.EmbeddedMongo;
import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Topics;
import io.cronstream.ticker.job.Notify;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The notifier and the automatic-pause writer as the service runs them: consumers of {@code cronstream.alerts} on one
 * embedded broker (per class), webhooks on loopback, MongoDB emulated; every wait is Awaitility's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertConsumersTest {

    private static final JsonCodec<Alert> CODEC = JsonCodec.of(Alert.class);
    private static final Backoff FAST = new Backoff(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(50));

    private Path dir;
    private EmbeddedKafka kafka;
    private EmbeddedMongo mongo;
    private KafkaProducer<byte[], byte[]> producer;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("alert-consumers");
        kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true);
        mongo = EmbeddedMongo.inMemory(0);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        producer.close();
        mongo.close();
        kafka.close();
    }

    /** Topics of their own per test, so the tests share the broker and nothing else. */
    private Topics topics() {
        Topics topics = Topics.withPrefix("t" + UUID.randomUUID().toString().substring(0, 8) + ".");
        kafka.createTopics(new NewTopic(topics.alerts(), 2, (short) 1), new NewTopic(topics.dlq(), 1, (short) 1));
        return topics;
    }

    private AlertConsumer consumer(String name, Topics topics, AlertHandler handler) {
        AlertConsumer consumer = new AlertConsumer(name, Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), topics.alerts() + "-" + name, "earliest", topics.alerts(), topics.dlq(),
                handler, Duration.ofMillis(100)).start();
        closeables.add(consumer);
        return consumer;
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private void send(Topics topics, Alert alert) {
        send(topics, alert.jobId(), CODEC.write(alert));
    }

    private void send(Topics topics, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topics.alerts(), key.getBytes(StandardCharsets.UTF_8), value));
        producer.flush();
    }

    private static Alert alert(AlertKind kind, String jobId, String runId) {
        return new Alert(kind, jobId, runId, 1, Instant.parse("2026-03-01T00:00:00Z"), kind + " of " + jobId);
    }

    @Test
    void notifiesTheJobsOrTheGlobalWebhooksDeadLettersWhatFailsAndCommitsEverything() {
        Topics topics = topics();
        HookServer global = closing(HookServer.answering(200));
        HookServer failing = closing(HookServer.answering(500));
        NotifySettings settings = new NotifySettings(true, List.of(global.url()), List.of(), Duration.ofSeconds(2),
                FAST);
        Map<String, Notify> jobs = new ConcurrentHashMap<>(Map.of(
                "own-hooks", new Notify(List.of(failing.url().toString()), List.of()),
                "quiet", new Notify(List.of(), List.of(AlertKind.PAUSED))));
        consumer("notifier", topics, new WebhookNotifier(settings, jobId -> Optional.ofNullable(jobs.get(jobId))));

        send(topics, alert(AlertKind.FAILED, "plain", "plain@1"));
        send(topics, alert(AlertKind.FAILED, "own-hooks", "own@1"));
        send(topics, alert(AlertKind.FAILED, "quiet", "quiet@1")); // not a kind the job wants: goes nowhere
        send(topics, "broken", "{\"kind\":".getBytes(StandardCharsets.UTF_8));

        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> dlq = dlqReader(topics)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                dlq.poll(Duration.ofMillis(200)).forEach(dead::add);
                return dead.size() >= 2 && committed(topics, topics.alerts() + "-notifier") == 4;
            });
        }
        assertThat(global.requests()).isEqualTo(1);
        assertThat(global.bodies().get(0)).contains("\"jobId\":\"plain\"").contains("\"text\":\"[FAILED] job plain");
        assertThat(failing.requests()).isEqualTo(FAST.attempts());
        assertThat(dead).hasSize(2);
        List<String> reasons = dead.stream().map(r -> DeadLetter.fromRecord(r.key(), r.value(), r.headers()))
                .map(letter -> letter.sourceTopic() + " " + letter.error()).toList();
        assertThat(reasons).anySatisfy(reason -> assertThat(reason).startsWith(topics.alerts() + " notifier: webhook")
                .contains("not delivered after 3 attempts: HTTP 500").doesNotContain("secret"));
        assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("notifier: not an alert"));
        ConsumerRecord<byte[], byte[]> ownHooks = dead.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("own-hooks")).findFirst().orElseThrow();
        assertThat(CODEC.read(ownHooks.value()).runId()).isEqualTo("own@1"); // the alert itself, to replay
    }

    @Test
    void anAlertWhoseJobCannotBeLookedUpYetWaitsInsteadOfBeingDeadLettered() {
        Topics topics = topics();
        HookServer global = closing(HookServer.answering(200));
        NotifySettings settings = new NotifySettings(true, List.of(global.url()), List.of(), Duration.ofSeconds(2),
                FAST);
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        consumer("notifier", topics, new WebhookNotifier(settings, jobId -> {
            if (lookups.incrementAndGet() <= 3) {
                throw new IllegalStateException("store not queryable right now (starting)");
            }
            return Optional.empty();
        }));
        send(topics, alert(AlertKind.MISSED, "starting", "starting@1"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> committed(topics, topics.alerts() + "-notifier") == 1);
        assertThat(lookups.get()).isEqualTo(4);
        assertThat(global.requests()).isEqualTo(1);
        try (KafkaConsumer<byte[], byte[]> dlq = dlqReader(topics)) {
            assertThat(dlq.poll(Duration.ofSeconds(1)).count()).isZero();
        }
    }

    @Test
    void writesAnAutomaticPauseIntoMongoDbOnceEvenWhenTheAlertComesTwice() {
        Topics topics = topics();
        String collection = "jobs_" + UUID.randomUUID().toString().substring(0, 8);
        try (MongoClient client = MongoClients.create(mongo.connectionString());
                MongoJobs jobs = MongoJobs.connect(new MongoJobs.Config(mongo.connectionString(), "scheduler",
                        collection, Duration.ofDays(30)))) {
            MongoCollection<Document> documents = client.getDatabase("scheduler").getCollection(collection);
            documents.insertOne(new Document("_id", "flaky").append("name", "Flaky").append("jobType", "X")
                    .append("cronExpression", "0 * * * *").append("version", 4L));
            consumer("auto-pause", topics, new AutoPauseHandler(new AutoPause(jobs, Clock.systemUTC()), FAST));

            Alert paused = new Alert(AlertKind.PAUSED, "flaky", null, null, Instant.parse("2026-03-01T00:00:00Z"),
                    "paused after 3 consecutive failed runs (pauseOnFailure 3)");
            send(topics, alert(AlertKind.FAILED, "flaky", "flaky@1")); // not a pause: nothing to write
            send(topics, paused);
            send(topics, paused); // redelivered
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> committed(topics, topics.alerts() + "-auto-pause") == 3);

            Document job = documents.find(Filters.eq("_id", "flaky")).first();
            assertThat(job.getString("pausedBy")).isEqualTo(AutoPause.BY);
            assertThat(job.getString("pauseNote")).isEqualTo(paused.message());
            assertThat(job.get("version")).isEqualTo(5L);
            assertThat(job.getString("updatedBy")).isEqualTo("cronstream");
            List<Document> trail = client.getDatabase("scheduler").getCollection(collection + "_changes")
                    .find(Filters.eq("jobId", "flaky")).into(new ArrayList<>());
            assertThat(trail).hasSize(1);
            assertThat(trail.get(0).getString("action")).isEqualTo("auto-pause");
            assertThat(trail.get(0).getString("by")).isEqualTo("cronstream");
        }
    }

    private KafkaConsumer<byte[], byte[]> dlqReader(Topics topics) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.dlq()));
        return consumer;
    }

    /** Offsets the group has committed over every partition of the alerts topic. */
    private long committed(Topics topics, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topics.alerts()))
                    .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset()).sum();
        }
    }
}
