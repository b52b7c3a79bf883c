package io.cronstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.Topics;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole path, whatever runs it: the real MongoDB driver writes jobs, the real connector carries
 * them, the ticker fires, a read_committed consumer sees the due events, a simulated worker reports
 * progress, and the API shows it all. {@link DevStackEndToEndTest} runs it on the embedded local
 * stack, {@link ContainerEndToEndTest} on MongoDB, Kafka and Connect containers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEndContract {

    private static final Logger LOG = LoggerFactory.getLogger(EndToEndContract.class);
    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final JsonCodec<StageProgressEvent> PROGRESS = JsonCodec.of(StageProgressEvent.class);

    /** Settings that make the tests quick: fast punctuations and stuck scans. */
    static final Map<String, String> QUICK = Map.of(
            "cronstream.ticker.punctuate.interval", "PT0.2S",
            "cronstream.progress.stuck.scan.interval", "PT1S");

    /** Where the contract runs: a MongoDB the connector watches, its Kafka, and a Cronstream API on it. */
    record Target(String mongoUri, String bootstrap, String apiUrl, Topics topics) {
    }

    private Target target;
    private MongoClient mongoClient;
    MongoCollection<Document> jobs;
    private DueEvents due;
    private KafkaProducer<String, byte[]> worker;
    Http api;

    /** Starts everything, for the whole class. */
    abstract Target start() throws Exception;

    abstract void stop();

    @BeforeAll
    void startTarget() throws Exception {
        target = start();
        mongoClient = MongoClients.create(target.mongoUri());
        jobs = mongoClient.getDatabase("scheduler").getCollection("scheduled_jobs");
        due = new DueEvents(target.bootstrap(), target.topics().jobDue());
        worker = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrap(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
        api = new Http(target.apiUrl());
        await().atMost(PATIENCE).until(() -> api.get("/ready").status() == 200);
    }

    @AfterAll
    void stopTarget() {
        try (MongoClient mongo = mongoClient; DueEvents events = due; KafkaProducer<String, byte[]> producer = worker) {
            stop();
        }
    }

    @Test
    void aJobWrittenToMongoIsPickedUpFiresAndFollowsEveryChange() {
        Instant written = Instant.now();
        jobs.insertOne(new Document("_id", "e2e-report").append("name", "Report").append("jobType", "Report")
                .append("cronExpression", "*/2 * * * * *").append("isEnabled", true));
        JsonNode job = await().atMost(PATIENCE).until(() -> api.get("/api/v1/jobs/e2e-report"), a -> a.status() == 200).body();
        LOG.info("event=pickup-latency jobId=e2e-report ms={} (MongoDB insert → visible in the ticker store via the API)",
                Duration.between(written, Instant.now()).toMillis());
        assertThat(job.get("valid").asBoolean()).isTrue();
        assertThat(job.get("cronType").asText()).isEqualTo("SPRING");

        List<Instant> next = times(api.get("/api/v1/jobs/e2e-report/next?count=3").body().get("next"));
        assertThat(next).hasSize(3);
        assertThat(Duration.between(next.get(0), next.get(1))).isEqualTo(Duration.ofSeconds(2));

        await().atMost(PATIENCE).until(() -> due.forJob("e2e-report").size() >= 2);
        assertThat(due.forJob("e2e-report")).allMatch(d -> d.trigger() == Trigger.SCHEDULE)
                .extracting(DueEvent::runId).doesNotHaveDuplicates();

        jobs.updateOne(Filters.eq("_id", "e2e-report"), Updates.set("cronExpression", "*/5 * * * * *"));
        await().atMost(PATIENCE).until(() -> api.get("/api/v1/jobs/e2e-report").body().get("cron").asText()
                .equals("*/5 * * * * *"));
        List<Instant> rescheduled = times(api.get("/api/v1/jobs/e2e-report/next?count=2").body().get("next"));
        assertThat(Duration.between(rescheduled.get(0), rescheduled.get(1))).isEqualTo(Duration.ofSeconds(5));

        jobs.updateOne(Filters.eq("_id", "e2e-report"), Updates.set("isEnabled", false));
        await().atMost(PATIENCE).until(() -> !api.get("/api/v1/jobs/e2e-report").body().get("enabled").asBoolean());
        Instant disabledSeen = Instant.now();
        assertThat(api.get("/api/v1/jobs/e2e-report/next?count=3").body().get("next")).isEmpty();
        // A sentinel job firing every second shows time passing on the ticker; the disabled job stays quiet.
        jobs.insertOne(new Document("_id", "e2e-sentinel").append("cronExpression", "* * * * * *"));
        await().atMost(PATIENCE).until(() -> due.forJob("e2e-sentinel").stream()
                .anyMatch(d -> d.scheduledFor().isAfter(disabledSeen.plusSeconds(6))));
        assertThat(due.forJob("e2e-report")).allMatch(d -> !d.scheduledFor().isAfter(disabledSeen));

        jobs.deleteOne(Filters.eq("_id", "e2e-report"));
        jobs.deleteOne(Filters.eq("_id", "e2e-sentinel"));
        await().atMost(PATIENCE).until(() -> api.get("/api/v1/jobs/e2e-report").status() == 404);
    }

    @Test
    void aTriggeredRunProgressesToCompletionAndLandsInHistory() {
        jobs.insertOne(new Document("_id", "e2e-scan").append("name", "Library scan").append("jobType", "LibraryScan")
                .append("scheduleType", "Manual"));
        await().atMost(PATIENCE).until(() -> api.get("/api/v1/jobs/e2e-scan").status() == 200);

        Http.Answer accepted = api.post("/api/v1/jobs/e2e-scan/trigger", "dev-token", "{\"triggeredBy\": \"alice\"}");
        assertThat(accepted.status()).isEqualTo(202);
        String runId = accepted.body().get("runId").asText();
        DueEvent fired = await().atMost(PATIENCE).until(() -> due.forJob("e2e-scan"), l -> !l.isEmpty()).get(0);
        assertThat(fired.runId()).isEqualTo(runId);
        assertThat(fired.trigger()).isEqualTo(Trigger.MANUAL);
        assertThat(fired.triggeredBy()).isEqualTo("alice");

        report(runId, null, ProgressKind.RUN_STARTED, null);
        report(runId, "thumbnail", ProgressKind.STAGE_STARTED, 3L);
        report(runId, "cache", ProgressKind.STAGE_STARTED, 3L);
        for (int i = 0; i < 3; i++) {
            report(runId, "thumbnail", ProgressKind.PROGRESS, null);
        }
        JsonNode running = await().atMost(PATIENCE).until(() -> api.get("/api/v1/runs/" + runId).body(),
                run -> run.path("stages").path("thumbnail").path("completed").asInt() == 3);
        assertThat(running.get("status").asText()).isEqualTo("RUNNING");
        assertThat(running.get("percent").asDouble()).isEqualTo(50.0);

        for (int i = 0; i < 3; i++) {
            report(runId, "cache", ProgressKind.PROGRESS, null);
        }
        JsonNode done = await().atMost(PATIENCE).until(() -> api.get("/api/v1/runs/" + runId).body(),
                run -> run.get("status").asText().equals("COMPLETED"));
        assertThat(done.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(done.get("triggeredBy").asText()).isEqualTo("alice");

        JsonNode history = await().atMost(PATIENCE).until(() -> api.get("/api/v1/jobs/e2e-scan/runs").body(),
                h -> h.path("stats").path("succeeded").asInt() == 1);
        assertThat(history.path("count").asInt()).isEqualTo(1);
        assertThat(history.path("items").get(0).path("triggeredBy").asText()).isEqualTo("alice");
        assertThat(history.path("items").get(0).path("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void aRunThatGoesQuietIsFlaggedStuckAndRecovers() {
        jobs.insertOne(new Document("_id", "e2e-export").append("jobType", "Export").append("scheduleType", "Manual")
                .append("stuckAfter", "PT2S"));
        await().atMost(PATIENCE).until(() -> api.get("/api/v1/jobs/e2e-export").status() == 200);
        String runId = api.post("/api/v1/jobs/e2e-export/trigger", "dev-token", "{}").body().get("runId").asText();
        await().atMost(PATIENCE).until(() -> api.get("/api/v1/runs/" + runId).status() == 200);
        report(runId, null, ProgressKind.RUN_STARTED, null);

        AtomicReference<JsonNode> stuck = new AtomicReference<>();
        await().atMost(PATIENCE).until(() -> {
            stuck.set(api.get("/api/v1/stuck").body());
            return ids(stuck.get()).contains(runId);
        });
        assertThat(api.get("/api/v1/runs/" + runId).body().get("stuck").asBoolean()).isTrue();

        report(runId, null, ProgressKind.HEARTBEAT, null);
        await().atMost(PATIENCE).until(() -> !api.get("/api/v1/runs/" + runId).body().get("stuck").asBoolean());
        assertThat(ids(api.get("/api/v1/stuck").body())).doesNotContain(runId);
    }

    @Test
    void aRunThatFailsTwiceIsRetriedUntilItSucceedsAndItsChainedJobFiresOnce() {
        jobs.insertOne(Document.parse("""
                {"_id": "e2e-flaky", "name": "Flaky import", "jobType": "Import", "scheduleType": "Manual",
                 "retry": {"maxAttempts": 3, "initialInterval": "PT1S", "backoffCoefficient": 2.0, "jitter": 0}}"""));
        jobs.insertOne(Document.parse("""
                {"_id": "e2e-chained", "name": "Report after import", "jobType": "Report", "scheduleType": "Manual",
                 "after": [{"jobId": "e2e-flaky", "on": "COMPLETED"}]}"""));
        // valid once every instance's job graph knows the upstream (the chained job may be read before it does)
        await().atMost(PATIENCE).until(() -> api.get("/api/v1/jobs/e2e-flaky").status() == 200
                && api.get("/api/v1/jobs/e2e-chained").body().path("valid").asBoolean());

        String first = api.post("/api/v1/jobs/e2e-flaky/trigger", "dev-token", "{}").body().get("runId").asText();
        for (int attempt = 1; attempt <= 3; attempt++) {
            String runId = attempt == 1 ? first : DueEvent.retryRunIdFor(first, attempt);
            DueEvent fired = await().atMost(PATIENCE).until(() -> due.forJob("e2e-flaky").stream()
                    .filter(d -> d.runId().equals(runId)).findFirst().orElse(null), d -> d != null);
            assertThat(fired.attempt()).isEqualTo(attempt);
            assertThat(fired.trigger()).isEqualTo(attempt == 1 ? Trigger.MANUAL : Trigger.RETRY);
            report(runId, null, ProgressKind.RUN_STARTED, null);
            if (attempt < 3) {
                reportEnd(runId, ProgressKind.RUN_FAILED, null, "disk full, attempt " + attempt);
            } else {
                reportEnd(runId, ProgressKind.RUN_COMPLETED, JsonCodec.of(JsonNode.class).read(
                        "{\"imported\": 42}".getBytes(java.nio.charset.StandardCharsets.UTF_8)), null);
            }
        }
        String last = DueEvent.retryRunIdFor(first, 3);
        DueEvent chained = await().atMost(PATIENCE).until(() -> due.forJob("e2e-chained"), l -> !l.isEmpty()).get(0);
        assertThat(chained.trigger()).isEqualTo(Trigger.AFTER);
        assertThat(chained.triggeredBy()).isEqualTo(last);

        JsonNode history = await().atMost(PATIENCE).until(() -> api.get("/api/v1/jobs/e2e-flaky/runs").body(),
                h -> h.path("count").asInt() == 3 && h.path("stats").path("succeeded").asInt() == 1);
        List<Integer> attempts = new ArrayList<>();
        history.path("items").forEach(item -> attempts.add(item.path("attempt").asInt()));
        assertThat(attempts).containsExactlyInAnyOrder(1, 2, 3);
        JsonNode succeeded = api.get("/api/v1/runs/" + last).body();
        assertThat(succeeded.path("result").path("imported").asInt()).isEqualTo(42);
        assertThat(api.get("/api/v1/runs/" + first).body().path("error").asText()).isEqualTo("disk full, attempt 1");

        JsonNode alerts = await().atMost(PATIENCE).until(() -> api.get("/api/v1/alerts?jobId=e2e-flaky").body(),
                a -> a.path("items").size() >= 2);
        List<String> kinds = new ArrayList<>();
        alerts.path("items").forEach(alert -> kinds.add(alert.path("kind").asText()));
        assertThat(kinds).containsOnly("FAILED").hasSize(2);
        // the chained job fired once, however long we look
        await().during(Duration.ofSeconds(2)).atMost(PATIENCE).until(() -> due.forJob("e2e-chained").size() == 1);
    }

    private void reportEnd(String runId, ProgressKind kind, JsonNode result, String error) {
        send(new StageProgressEvent(runId, null, null, null, kind, null, null, null, null, null, Instant.now(), null,
                result, error));
    }

    private void send(StageProgressEvent event) {
        worker.send(new ProducerRecord<>(target.topics().stageProgress(), event.runId(), PROGRESS.write(event)));
        worker.flush();
    }

    private void report(String runId, String stage, ProgressKind kind, Long total) {
        StageProgressEvent event = new StageProgressEvent(runId, null, null, stage, kind, total, null, null, null,
                null, Instant.now(), null);
        worker.send(new ProducerRecord<>(target.topics().stageProgress(), runId, PROGRESS.write(event)));
        worker.flush();
    }

    private static List<Instant> times(JsonNode array) {
        List<Instant> times = new ArrayList<>();
        array.forEach(t -> times.add(Instant.parse(t.asText())));
        return times;
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("items").forEach(run -> ids.add(run.get("runId").asText()));
        return ids;
    }
}
