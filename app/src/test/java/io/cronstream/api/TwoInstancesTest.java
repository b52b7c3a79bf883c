package io.cronstream.api;

import static io.cronstream.api.Instances.url;
import static io.cronstream.api.Instances.running;
import static io.cronstream.api.Instances.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.app.CronstreamApp;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.Settings;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Topics;
import io.cronstream.schemas.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Cronstream services (Kafka Streams + Javalin, {@code application.server} set) on one real
 * embedded KRaft broker: each answers every key, forwarding to the owner; lists from either hold
 * everything; when one stops, the other answers for all keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesTest {

    private static final int PARTITIONS = 4;
    private static final String TOKEN = DriverHarness.TOKEN;
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private Path dir;
    private EmbeddedKafka kafka;
    private CronstreamService first;
    private CronstreamService second;
    private final Map<String, String> jobs = new TreeMap<>();
    private final List<String> runs = new ArrayList<>();
    private final List<String> libraries = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("two-instances");
        kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true);
        CronstreamApp app = new CronstreamApp(settings("unused", 0));
        kafka.createTopics(app.topics().all().stream().map(topic -> new NewTopic(topic, PARTITIONS, (short) 1)).toList());
        first = service("first").start();
        second = service("second").start();
        await().atMost(STARTUP).until(() -> running(first) && running(second));

        IntStream.range(0, 12).forEach(i -> jobs.put("job-" + i, "Job number " + i));
        jobs.put("caf\u00e9-\u65e5\u672c", "Unicode job");
        Instant now = Instant.now();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            jobs.forEach((id, name) -> producer.send(new ProducerRecord<>(app.topics().jobs(), id,
                    "{\"name\": \"" + name + "\", \"cronExpression\": \"0 3 * * *\"}")));
            for (int i = 0; i < 8; i++) {
                String runId = "job-" + i + "@" + (1_772_326_800_000L + i);
                runs.add(runId);
                producer.send(new ProducerRecord<>(app.topics().stageProgress(), runId, """
                    {"runId": "%s", "jobId": "job-%d", "kind": "RUN_STARTED", "at": "%s"}""".formatted(runId, i, now)));
                producer.send(new ProducerRecord<>(app.topics().stageProgress(), runId, """
                    {"runId": "%s", "stage": "scan", "kind": "STAGE_STARTED", "total": 10, "at": "%s"}"""
                        .formatted(runId, now)));
            }
            for (int i = 0; i < 6; i++) {
                String libraryId = "library-" + i;
                libraries.add(libraryId);
                producer.send(new ProducerRecord<>(app.topics().fileChanges(), libraryId, """
                    {"libraryId": "%s", "path": "/a/%d.jpg", "change": "ADDED", "detectedAt": "%s"}"""
                        .formatted(libraryId, i, now)));
            }
        }
    }

    @AfterAll
    void stop() {
        Instances.closeAll(second, first, kafka);
    }

    @Test
    @Order(1)
    void bothInstancesOwnPartOfTheKeys() {
        Set<HostInfo> owners = new HashSet<>();
        jobs.keySet().forEach(jobId -> owners.add(first.streams()
                .queryMetadataForKey(StoreNames.JOBS, jobId, Serdes.String().serializer()).activeHost()));
        assertThat(owners).hasSize(2);
    }

    @Test
    @Order(2)
    void everyKeyIsAnsweredByBothInstances() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (CronstreamService instance : List.of(first, second)) {
                for (Map.Entry<String, String> job : jobs.entrySet()) {
                    Http.Response response = Http.get(url(instance, "/api/v1/jobs/" + encode(job.getKey())));
                    assertThat(response.status()).as(response.body()).isEqualTo(200);
                    assertThat(response.json().get("jobId").asText()).isEqualTo(job.getKey());
                    assertThat(response.json().get("name").asText()).isEqualTo(job.getValue());
                }
            }
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (CronstreamService instance : List.of(first, second)) {
                for (String runId : runs) {
                    Http.Response run = Http.get(url(instance, "/api/v1/runs/" + runId));
                    assertThat(run.status()).as(run.body()).isEqualTo(200);
                    assertThat(run.json().get("status").asText()).isEqualTo("RUNNING");
                    Http.Response history = Http.get(url(instance, "/api/v1/jobs/" + run.json().get("jobId").asText()
                            + "/runs"));
                    assertThat(texts(history.json().get("items").findValues("runId"))).as(history.body()).contains(runId);
                    // the run's answer (made from its stored bytes) is the same JSON as the list's typed item
                    Http.Response listed = Http.get(url(instance, "/api/v1/runs?limit=500&jobId="
                            + run.json().get("jobId").asText()));
                    JsonNode item = null;
                    for (JsonNode candidate : listed.json().get("items")) {
                        if (candidate.get("runId").asText().equals(runId)) {
                            item = candidate;
                        }
                    }
                    assertThat(run.json()).as(listed.body()).isEqualTo(item);
                }
                for (String libraryId : libraries) {
                    Http.Response library = Http.get(url(instance, "/api/v1/libraries/" + libraryId));
                    assertThat(library.status()).as(library.body()).isEqualTo(200);
                    assertThat(library.json().get("added").asInt()).isEqualTo(1);
                }
            }
        });
        for (CronstreamService instance : List.of(first, second)) {
            JsonNode next = Http.get(url(instance, "/api/v1/jobs/job-3/next?count=2")).json();
            assertThat(next.get("next")).hasSize(2);
            assertThat(Http.get(url(instance, "/api/v1/jobs/none")).status()).isEqualTo(404);
            assertThat(Http.get(url(instance, "/api/v1/runs/none@1")).status()).isEqualTo(404);
            assertThat(Http.get(url(instance, "/api/v1/jobs/job-11/runs")).json().get("count").asInt()).isZero();
        }
    }

    @Test
    @Order(3)
    void listsFromEitherInstanceHoldEverything() {
        for (CronstreamService instance : List.of(first, second)) {
            JsonNode list = Http.get(url(instance, "/api/v1/jobs")).json();
            assertThat(list.get("count").asInt()).isEqualTo(jobs.size());
            assertThat(texts(list.get("items").findValues("jobId"))).containsExactlyInAnyOrderElementsOf(jobs.keySet());
            assertThat(texts(Http.get(url(instance, "/api/v1/runs?status=RUNNING")).json().get("items").findValues("runId")))
                    .containsExactlyInAnyOrderElementsOf(runs);
            assertThat(texts(Http.get(url(instance, "/api/v1/libraries")).json().get("items").findValues("libraryId")))
                    .containsExactlyInAnyOrderElementsOf(libraries);
            assertThat(Http.get(url(instance, "/api/v1/stuck")).json().get("count").asInt()).isZero();
            assertThat(Http.get(url(instance, "/ready")).status()).isEqualTo(200);
        }
    }

    @Test
    @Order(4)
    void aTriggerIsDecidedByTheOwnerWhicheverInstanceReceivesIt() {
        String jobId = ownedBy(second);
        Http.Response accepted = Http.post(url(first, "/api/v1/jobs/" + jobId + "/trigger"),
                "{\"triggeredBy\": \"bob\"}", "Authorization", "Bearer " + TOKEN);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        Http.Response again = Http.post(url(second, "/api/v1/jobs/" + jobId + "/trigger"), null,
                "Authorization", "Bearer " + TOKEN);
        assertThat(again.status()).as(again.body()).isEqualTo(429);
        assertThat(again.header("Retry-After")).isNotNull();

        String runId = accepted.json().get("runId").asText();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "two-instances-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.defaults().jobDue()));
            List<DueEvent> due = new ArrayList<>();
            JsonCodec<DueEvent> codec = JsonCodec.of(DueEvent.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> due.add(codec.read(record.value())));
                return due.stream().anyMatch(event -> event.runId().equals(runId));
            });
            assertThat(due).filteredOn(event -> event.runId().equals(runId)).singleElement().satisfies(event -> {
                assertThat(event.trigger()).isEqualTo(Trigger.MANUAL);
                assertThat(event.triggeredBy()).isEqualTo("bob");
            });
        }
    }

    @Test
    @Order(5)
    void metricsHaveKafkaStreamsTheTickerAndRunCounts() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String text = Http.get(url(first, "/metrics")).body() + Http.get(url(second, "/metrics")).body();
            assertThat(text)
                    .contains("kafka_stream_thread_")
                    .contains("fires_manual_total")
                    .contains("jobs_parked_total")
                    .contains("fire_lateness_max_ms")
                    .contains("cronstream_runs{status=\"RUNNING\"}")
                    .contains("cronstream_api_trigger_requests_total{outcome=\"accepted\"} 1.0");
        });
    }

    @Test
    @Order(6)
    void anInstanceWhoseStreamsIsNotRunningAnswers503NotAWrong404() {
        try (CronstreamService idle = service("idle")) {
            idle.api().start();
            for (String path : List.of("/api/v1/jobs/job-1", "/api/v1/jobs", "/ready", "/api/v1/runs")) {
                Http.Response response = Http.get(url(idle, path));
                assertThat(response.status()).as(path + " " + response.body()).isEqualTo(503);
                assertThat(response.header("Retry-After")).as(path).isNotNull();
                assertThat(response.json().get("status").asInt()).isEqualTo(503);
            }
        }
    }

    @Test
    @Order(7)
    void whenOneInstanceStopsTheOtherAnswersEveryKey() {
        second.close();
        second = null;
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (String jobId : jobs.keySet()) {
                Http.Response response = Http.get(url(first, "/api/v1/jobs/" + encode(jobId)));
                assertThat(response.status()).as(jobId + " " + response.body()).isEqualTo(200);
            }
            for (String runId : runs) {
                Http.Response response = Http.get(url(first, "/api/v1/runs/" + runId));
                assertThat(response.status()).as(runId + " " + response.body()).isEqualTo(200);
            }
            JsonNode list = Http.get(url(first, "/api/v1/jobs")).json();
            assertThat(list.path("count").asInt()).isEqualTo(jobs.size());
            assertThat(texts(Http.get(url(first, "/api/v1/runs")).json().get("items").findValues("runId")))
                    .containsAll(runs);
        });
    }

    private String ownedBy(CronstreamService instance) {
        HostInfo host = new HostInfo("127.0.0.1", instance.api().port());
        return jobs.keySet().stream().filter(jobId -> first.streams()
                .queryMetadataForKey(StoreNames.JOBS, jobId, Serdes.String().serializer()).activeHost().equals(host))
                .findFirst().orElseThrow();
    }

    private CronstreamService service(String name) {
        Settings settings = settings(name, freePort());
        return new CronstreamService(new CronstreamApp(settings), CronstreamApp.apiSettings(settings), Clock.systemUTC());
    }

    private Settings settings(String name, int port) {
        return Instances.settings("api-two-instances", kafka == null ? "unused:9092" : kafka.bootstrapServers(),
                dir.resolve("state-" + name), port, Map.of());
    }




    private static String encode(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> texts(List<JsonNode> nodes) {
        return nodes.stream().map(JsonNode::asText).toList();
    }
}
