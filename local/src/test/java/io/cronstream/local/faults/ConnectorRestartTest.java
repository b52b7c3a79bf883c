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
import io.cronstream.local.DueEvents;
import io.cronstream.local.Http;
import io.cronstream.schemas.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
 * Takes the Kafka Connect worker (its own JVM) down three times while a writer keeps inserting,
 * updating, replacing, disabling and deleting jobs in MongoDB, so changes are made while the
 * connector is down: twice with SIGKILL (a crash: no shutdown hook, no last flush of the resume
 * token) and once cleanly (which flushes it). One job fires every second
 * throughout and the writer keeps changing its payload. Once the worker is back it resumes from its
 * stored resume token: every change arrives, each job's records on {@code cronstream.jobs} are its
 * writes in the order they were made (updates as post-images), repeated only where a crash made the
 * connector replay (see {@link #replays}), the ticking job fired every second exactly once, and the
 * ticker's final state (read through the API) is MongoDB's, job by job.
 */
class ConnectorRestartTest {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRestartTest.class);
    private static final List<String> IDS = IntStream.range(0, 20).mapToObj(i -> "cdc-" + i).toList();
    /** Fires every second; the writer only ever changes its payload, never its timing. */
    private static final String TICKING = "cdc-ticking";
    private static final List<String> ALL = Stream.concat(IDS.stream(), Stream.of(TICKING)).toList();
    /** How each outage ends the worker: crashes and a clean stop. */
    private static final List<Boolean> HARD_KILLS = List.of(true, false, true);
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
            ConnectProcess connect = new ConnectProcess(kafka.bootstrapServers(), FaultKit.freePort(),
                    dir.resolve("connect"), mongo.connectionString(), Path.of("target"));
            CronstreamService service = new CronstreamService(app,
                    CronstreamApp.apiSettings(app.settings()), Clock.systemUTC()).start();
            Writer writer = new Writer(jobs, new Random(7));
            try (DueEvents due = new DueEvents(kafka.bootstrapServers(), app.topics().jobDue())) {
                Http api = new Http("http://localhost:" + service.api().port());
                Instant tickingInserted = Instant.now();
                writer.insertTicking();
                connect.start(true);
                await().atMost(PATIENCE).until(connect::running);
                writer.start();
                await().atMost(PATIENCE).until(() -> !due.forJob(TICKING).isEmpty());
                Random random = new Random(42);
                int hardKills = 0;
                for (int restart = 1; restart <= HARD_KILLS.size(); restart++) {
                    long upFor = 1_000 + random.nextInt(2_000);
                    Thread.sleep(upFor); // the connector's up time, the fault schedule itself
                    boolean hard = HARD_KILLS.get(restart - 1);
                    if (hard) {
                        connect.kill();
                        hardKills++;
                    } else {
                        connect.stop();
                    }
                    long writesBefore = writer.writes();
                    long downFor = 1_000 + random.nextInt(2_000);
                    Thread.sleep(downFor); // the outage itself, not a wait for something
                    connect.start(false);
                    await().atMost(PATIENCE).until(connect::running);
                    LOG.info("event=connect-restarted restart={} hard={} upMs={} downMs={} writesWhileDown={}", restart,
                            hard, upFor, downFor, writer.writes() - writesBefore);
                }
                Thread.sleep(1_000); // changes after the last restart, too
                writer.stop();
                Instant writerStopped = Instant.now();

                Map<String, Document> expected = new TreeMap<>();
                jobs.find().forEach(doc -> expected.put(doc.getString("_id"), doc));
                await().atMost(PATIENCE).until(() -> mismatches(api, expected).isEmpty());
                assertThat(mismatches(api, expected)).isEmpty();

                // Each job's records are exactly its writes, in the order they were made, except that
                // after a crash the connector replays what it published since its last stored resume
                // token: per job a contiguous run of writes it had already published, from some earlier
                // write up to where it was, then on. No record is dropped, none reordered, none replayed
                // across the clean stop; each crash adds at most one replay per job.
                Map<String, List<Long>> published = published(kafka.bootstrapServers(), app.topics().jobs());
                int replayed = 0;
                for (String id : ALL) {
                    List<Long> records = published.getOrDefault(id, List.of());
                    List<Long> writes = writer.written(id);
                    int replays = replays(records, writes);
                    assertThat(replays).as("replays in the records of %s (payload.seq; null = tombstone) %s, "
                            + "its writes being %s", id, records, writes).isBetween(0, hardKills);
                    replayed += records.size() - writes.size();
                }

                // The ticker took each replayed record of the ticking job as the redelivery it is: its
                // timing never changed, so no second was fired twice or skipped.
                await().atMost(PATIENCE).until(() -> due.forJob(TICKING).stream()
                        .anyMatch(d -> d.scheduledFor().isAfter(writerStopped.plusSeconds(1))));
                FaultKit.assertEverySecondOnce(due.poll(), TICKING, tickingInserted.plusSeconds(60),
                        writerStopped.plusSeconds(1));
                LOG.info("event=cdc-test-done writes={} jobsInMongo={} records={} replayedRecords={} tickingFires={}",
                        writer.writes(), expected.size(), published.values().stream().mapToInt(List::size).sum(),
                        replayed, due.forJob(TICKING).size());
                assertThat(writer.failure()).isNull();
            } finally {
                writer.stop();
                service.close();
                if (connect.alive()) {
                    connect.kill();
                }
            }
        }
    }

    /**
     * The fewest replays that explain {@code records} as {@code writes} published in order, where a
     * replay resumes publishing at an earlier write (one already published) and carries on from
     * there; {@link Integer#MAX_VALUE} when no such explanation exists (a record lost, reordered or
     * made up, or the records ending before the last write).
     */
    static int replays(List<Long> records, List<Long> writes) {
        int[][] memo = new int[records.size() + 1][writes.size() + 1];
        for (int[] row : memo) {
            Arrays.fill(row, -1);
        }
        return replays(records, writes, 0, 0, memo);
    }

    /** The fewest replays for {@code records[i..]} when {@code writes[0..next)} are published. */
    private static int replays(List<Long> records, List<Long> writes, int i, int next, int[][] memo) {
        if (i == records.size()) {
            return next == writes.size() ? 0 : Integer.MAX_VALUE;
        }
        if (memo[i][next] >= 0) {
            return memo[i][next];
        }
        Long record = records.get(i);
        int best = Integer.MAX_VALUE;
        if (next < writes.size() && Objects.equals(writes.get(next), record)) {
            best = replays(records, writes, i + 1, next + 1, memo);
        }
        for (int earlier = 0; earlier < next; earlier++) {
            if (Objects.equals(writes.get(earlier), record)) {
                int rest = replays(records, writes, i + 1, earlier + 1, memo);
                if (rest != Integer.MAX_VALUE) {
                    best = Math.min(best, rest + 1);
                }
            }
        }
        memo[i][next] = best;
        return best;
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
        for (String id : ALL) {
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

        /** The ticking job, before the connector first starts: its copy of existing documents publishes it. */
        synchronized void insertTicking() {
            long next = seq.incrementAndGet();
            jobs.insertOne(new Document("_id", TICKING).append("name", TICKING).append("cronExpression", "* * * * * *")
                    .append("misfirePolicy", "FIRE_ALL").append("catchupWindow", "PT5M")
                    .append("payload", new Document("seq", next)));
            written.computeIfAbsent(TICKING, k -> new ArrayList<>()).add(next);
        }

        private synchronized void write() {
            long next = seq.incrementAndGet();
            if (random.nextInt(10) == 0) {
                // the ticking job: a new payload, same timing
                jobs.updateOne(Filters.eq("_id", TICKING), Updates.set("payload.seq", next));
                written.get(TICKING).add(next);
                return;
            }
            String id = IDS.get(random.nextInt(IDS.size()));
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
