package io.cronstream.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.cronstream.api.ApiSettings;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.CronstreamApp;
import io.cronstream.app.Settings;
import io.cronstream.connectors.ConnectorDefinition;
import io.cronstream.devstack.EmbeddedConnect;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.devstack.EmbeddedMongo;
import io.cronstream.local.CronstreamTopics;
import io.cronstream.local.Http;
import io.cronstream.schemas.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts the Kafka Connect worker three times while a writer keeps inserting, updating, replacing,
 * disabling and deleting jobs in MongoDB, so changes are made while the connector is down. Once it
 * is back it resumes from its stored resume token: every change arrives, each job's records on
 * {@code cronstream.jobs} are its writes in the order they were made (each update as that update left
 * the document: the change stream's post-image, so a late connector never publishes a later state
 * before an earlier one), and the ticker's final state (read through the API) is MongoDB's, job by job.
 */
class ConnectorRestartTest {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRestartTest.class);
    private static final List<String> IDS = IntStream.range(0, 20).mapToObj(i -> "cdc-" + i).toList();
    private static final List<String> CRONS = List.of("0 3 * * *", "*/30 * * * *", "0 0 * * MON", "15 4 1 * *");
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @Test
    void everyChangeMadeAroundConnectorRestartsArrivesInOrder() throws Exception {
        Path dir = Files.createTempDirectory("cronstream-cdc");
        Settings settings = Settings.of(Map.of(
                "cronstream.state.dir", dir.resolve("streams").toString(),
                "cronstream.replication.factor", "1",
                "cronstream.api.mode", "dev",
                "cronstream.api.host", "127.0.0.1",
                "cronstream.api.advertised.host", "localhost",
                "cronstream.api.port", "0"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true);
                EmbeddedMongo mongo = EmbeddedMongo.inMemory(0);
                MongoClient client = MongoClients.create(mongo.connectionString())) {
            CronstreamApp app = new CronstreamApp(settings.with("cronstream.bootstrap.servers", kafka.bootstrapServers()));
            kafka.createTopics(CronstreamTopics.all(app.topics(), 3));
            MongoCollection<Document> jobs = client.getDatabase("scheduler").getCollection("scheduled_jobs");
            ConnectorDefinition connector = ConnectorDefinition.mongoScheduledJobs()
                    .with("connection.uri", mongo.connectionString());
            EmbeddedConnect connect = EmbeddedConnect.start(kafka.bootstrapServers(), 0, dir.resolve("connect"), true,
                    List.of(connector));
            CronstreamService service = new CronstreamService(app,
                    CronstreamApp.apiSettings(app.settings()), Clock.systemUTC()).start();
            Writer writer = new Writer(jobs, new Random(7));
            try {
                Http api = new Http("http://localhost:" + service.api().port());
                writer.start();
                Random random = new Random(42);
                for (int restart = 1; restart <= 3; restart++) {
                    long upFor = 1_000 + random.nextInt(2_000);
                    Thread.sleep(upFor); // the connector's up time, the fault schedule itself
                    connect.close();
                    long writesBefore = writer.writes();
                    long downFor = 1_000 + random.nextInt(2_000);
                    Thread.sleep(downFor); // the outage itself, not a wait for something
                    connect = EmbeddedConnect.start(kafka.bootstrapServers(), 0, dir.resolve("connect"), false,
                            List.of(connector));
                    LOG.info("event=connect-restarted restart={} upMs={} downMs={} writesWhileDown={}", restart, upFor,
                            downFor, writer.writes() - writesBefore);
                }
                Thread.sleep(1_000); // changes after the last restart, too
                writer.stop();

                Map<String, Document> expected = new TreeMap<>();
                jobs.find().forEach(doc -> expected.put(doc.getString("_id"), doc));
                await().atMost(PATIENCE).until(() -> mismatches(api, expected).isEmpty());
                assertThat(mismatches(api, expected)).isEmpty();

                // Each job's records are its writes, each once, in the order they were made: a change made
                // while the worker was down is there, and none shows a later state before an earlier one.
                // (A worker that crashed instead of stopping could repeat a few: at least once.)
                Map<String, List<Long>> published = published(kafka.bootstrapServers(), app.topics().jobs());
                int repeats = 0;
                for (String id : IDS) {
                    List<Long> records = published.getOrDefault(id, List.of());
                    List<Long> collapsed = new ArrayList<>();
                    for (Long version : records) {
                        if (collapsed.isEmpty() || !java.util.Objects.equals(collapsed.get(collapsed.size() - 1), version)) {
                            collapsed.add(version);
                        }
                    }
                    repeats += records.size() - collapsed.size();
                    assertThat(collapsed).as("records of %s (payload.seq; null = tombstone)", id)
                            .containsExactlyElementsOf(writer.written(id));
                }
                LOG.info("event=cdc-test-done writes={} jobsInMongo={} records={} repeats={}", writer.writes(),
                        expected.size(), published.values().stream().mapToInt(List::size).sum(), repeats);
                assertThat(writer.failure()).isNull();
            } finally {
                writer.stop();
                service.close();
                connect.close();
            }
        }
    }

    /** What the API shows that differs from MongoDB: the ticker's state against the documents, job by job. */
    private static List<String> mismatches(Http api, Map<String, Document> expected) {
        Http.Answer list = api.get("/api/v1/jobs");
        if (list.status() != 200) {
            return List.of("list answered " + list.status());
        }
        Map<String, JsonNode> shown = new TreeMap<>();
        list.body().path("items").forEach(job -> shown.put(job.path("jobId").asText(), job));
        List<String> wrong = new ArrayList<>();
        for (String id : IDS) {
            Document doc = expected.get(id);
            JsonNode job = shown.get(id);
            if (doc == null || job == null) {
                if ((doc == null) != (job == null)) {
                    wrong.add(id + (doc == null ? " deleted in MongoDB but shown" : " missing"));
                }
                continue;
            }
            long seq = doc.get("payload", Document.class).getLong("seq");
            if (job.path("payload").path("seq").asLong() != seq
                    || !job.path("cron").asText().equals(doc.getString("cronExpression"))
                    || job.path("enabled").asBoolean() != doc.getBoolean("isEnabled", true)) {
                wrong.add(id + " shows " + job.path("payload") + " " + job.path("cron") + " " + job.path("enabled")
                        + ", MongoDB has " + doc.toJson());
            }
        }
        return wrong;
    }

    /** Per job id, the payload.seq of each record in topic order; null for a tombstone. */
    private static Map<String, List<Long>> published(String bootstrap, String topic) throws IOException {
        Map<String, List<Long>> versions = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    Long seq = record.value() == null ? null
                            : Json.mapper().readTree(record.value()).path("payload").path("seq").asLong();
                    versions.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(seq);
                }
            }
        }
        return versions;
    }

    /**
     * Changes jobs at a steady rate: insert (when absent), update of cron / enabled / payload.seq, whole
     * replace, delete. Every write carries a new, higher {@code payload.seq}.
     */
    private static final class Writer {

        private final MongoCollection<Document> jobs;
        private final Random random;
        private final AtomicLong seq = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Map<String, Boolean> present = new LinkedHashMap<>();
        /** Per job, the payload.seq of each write in order; null for a delete. */
        private final Map<String, List<Long>> written = new LinkedHashMap<>();
        private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

        Writer(MongoCollection<Document> jobs, Random random) {
            this.jobs = jobs;
            this.random = random;
        }

        void start() {
            executor.scheduleAtFixedRate(() -> {
                try {
                    write();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
        }

        void stop() throws InterruptedException {
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }

        long writes() {
            return seq.get();
        }

        Exception failure() {
            return failure.get();
        }

        synchronized List<Long> written(String id) {
            return new ArrayList<>(written.getOrDefault(id, List.of()));
        }

        private synchronized void write() {
            String id = IDS.get(random.nextInt(IDS.size()));
            long next = seq.incrementAndGet();
            List<Long> versions = written.computeIfAbsent(id, k -> new ArrayList<>());
            String cron = CRONS.get(random.nextInt(CRONS.size()));
            if (!present.getOrDefault(id, false)) {
                jobs.insertOne(new Document("_id", id).append("name", id).append("cronExpression", cron)
                        .append("isEnabled", true).append("payload", new Document("seq", next)));
                present.put(id, true);
                versions.add(next);
                return;
            }
            versions.add(next);
            switch (random.nextInt(10)) {
                case 0 -> {
                    jobs.deleteOne(Filters.eq("_id", id));
                    present.put(id, false);
                    versions.set(versions.size() - 1, null);
                }
                case 1, 2 -> jobs.replaceOne(Filters.eq("_id", id), new Document("name", id + " v" + next)
                        .append("cronExpression", cron).append("isEnabled", random.nextBoolean())
                        .append("payload", new Document("seq", next)));
                case 3 -> jobs.findOneAndUpdate(Filters.eq("_id", id), Updates.combine(
                        Updates.set("isEnabled", random.nextBoolean()), Updates.set("payload.seq", next)));
                default -> jobs.updateOne(Filters.eq("_id", id), Updates.combine(
                        Updates.set("cronExpression", cron), Updates.set("payload.seq", next)));
            }
        }
    }
}
