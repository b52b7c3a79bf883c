package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.app.CronstreamApp;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.Settings;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Trigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Records written the way non-Java clients and other tools write them are found by key through the real
 * API: librdkafka (kcat, .NET's Confluent.Kafka, Python, Go) places a key in {@code crc32(key) % partitions},
 * not Java's murmur2, and a job's key may spell its id as {@code {"_id": "X"}}, {@code "X"} or an ObjectId.
 * Every input a non-Java client may write (file changes, job records, commands) goes to a topic of several
 * partitions in exactly the partition such a producer would pick.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForeignProducersTest {

    private static final int PARTITIONS = 6;
    private static final String TOKEN = DriverHarness.TOKEN; // what Http.get sends

    private Path dir;
    private EmbeddedKafka kafka;
    private CronstreamApp app;
    private CronstreamService service;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("foreign-producers");
        kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true);
        Settings settings = Instances.settings("foreign-producers", kafka.bootstrapServers(), dir.resolve("state"),
                Instances.freePort(), Map.of("cronstream.ticker.punctuate.interval", "PT0.2S"));
        app = new CronstreamApp(settings);
        service = Instances.start(kafka, app, settings, PARTITIONS);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void stop() {
        Instances.closeAll(producer, service, kafka);
    }

    /** librdkafka's default partitioner for a keyed record ({@code consistent_random}): CRC-32 of the key bytes. */
    private static int crc32Partition(byte[] key) {
        CRC32 crc = new CRC32();
        crc.update(key);
        return (int) (crc.getValue() % PARTITIONS);
    }

    private static int murmur2Partition(byte[] key) {
        return Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
    }

    /** Produces as a librdkafka client with default settings would: the partition CRC-32 picks, given explicitly. */
    private void produceAsLibrdkafka(String topic, String key, String value) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, crc32Partition(keyBytes), keyBytes,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
        producer.flush();
    }

    @Test
    void everyLibraryWrittenByACrc32ProducerIsFoundByItsId() {
        List<String> libraries = IntStream.range(0, 12).mapToObj(i -> "library-" + i).toList();
        long elsewhere = libraries.stream().map(id -> id.getBytes(StandardCharsets.UTF_8))
                .filter(key -> crc32Partition(key) != murmur2Partition(key)).count();
        assertThat(elsewhere).as("libraries CRC-32 places apart from murmur2").isGreaterThanOrEqualTo(6);
        Instant now = Instant.now();
        for (String libraryId : libraries) {
            produceAsLibrdkafka(app.topics().fileChanges(), libraryId, """
                {"libraryId": "%s", "path": "/photos/a.jpg", "change": "ADDED", "detectedAt": "%s"}"""
                    .formatted(libraryId, now));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String libraryId : libraries) {
                Http.Response library = Http.get(url("/api/v1/libraries/" + libraryId));
                assertThat(library.status()).as(libraryId + " " + library.body()).isEqualTo(200);
                assertThat(library.json().get("added").asInt()).isEqualTo(1);
            }
        });
    }

    /** Produces as a Java client with default settings would: Kafka's own partitioner (murmur2 of the key). */
    private void produceAsJava(String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)));
        producer.flush();
    }

    /**
     * A worker's event that sits in the partition owning its run is folded where it is read; one a CRC-32 producer
     * put elsewhere crosses a repartition first. A run fed both ways is one run, counted once per event, and the
     * API finds it by its id.
     */
    @Test
    void workersEventsFromEitherPartitionerFoldIntoOneRunTheApiFinds() {
        List<String> runs = IntStream.range(0, 12).mapToObj(i -> "foreign-run-" + i).toList();
        long elsewhere = runs.stream().map(id -> id.getBytes(StandardCharsets.UTF_8))
                .filter(key -> crc32Partition(key) != murmur2Partition(key)).count();
        assertThat(elsewhere).as("runs CRC-32 places apart from murmur2").isGreaterThanOrEqualTo(6);
        String at = Instant.now().toString();
        for (String runId : runs) {
            produceAsJava(app.topics().stageProgress(), runId, """
                {"runId": "%s", "kind": "RUN_STARTED", "at": "%s"}""".formatted(runId, at));
            produceAsLibrdkafka(app.topics().stageProgress(), runId, """
                {"runId": "%s", "stage": "scan", "kind": "STAGE_STARTED", "total": 10, "at": "%s"}"""
                    .formatted(runId, at));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String runId : runs) {
                Http.Response run = Http.get(url("/api/v1/runs/" + runId));
                assertThat(run.status()).as(runId + " " + run.body()).isEqualTo(200);
                assertThat(run.json().path("stages").has("scan")).as(runId + " " + run.body()).isTrue();
            }
        });
        for (String runId : runs) {
            for (int i = 0; i < 5; i++) {
                String increment = """
                    {"runId": "%s", "stage": "scan", "kind": "PROGRESS", "increment": 1, "at": "%s"}"""
                        .formatted(runId, at);
                produceAsJava(app.topics().stageProgress(), runId, increment);
                produceAsLibrdkafka(app.topics().stageProgress(), runId, increment);
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String runId : runs) {
                JsonNode scan = Http.get(url("/api/v1/runs/" + runId)).json().path("stages").path("scan");
                assertThat(scan.path("completed").asLong()).as(runId).isEqualTo(10);
                assertThat(scan.path("status").asText()).as(runId).isEqualTo("COMPLETED");
            }
        });
    }

    @Test
    void jobsKeyedAnyWayAndByAnyPartitionerHaveOneStateAndAnswerTriggers() {
        // Key spellings the ticker normalises, each placed by CRC-32 of its own bytes.
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("{\"_id\": \"wrapped\"}", "wrapped");
        keys.put("\"quoted\"", "quoted");
        keys.put("{\"_id\": {\"$oid\": \"65f0c0ffee0000000000abcd\"}}", "65f0c0ffee0000000000abcd");
        keys.put("{\"$oid\": \"65f0c0ffee0000000000dcba\"}", "65f0c0ffee0000000000dcba");
        IntStream.range(0, 8).forEach(i -> keys.put("plain-" + i, "plain-" + i));
        keys.forEach((key, id) -> produceAsLibrdkafka(app.topics().jobs(), key,
                "{\"name\": \"job " + id + "\", \"cronExpression\": \"0 3 * * *\"}"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String id : keys.values()) {
                Http.Response job = Http.get(url("/api/v1/jobs/" + id));
                assertThat(job.status()).as(id + " " + job.body()).isEqualTo(200);
                assertThat(job.json().get("jobId").asText()).isEqualTo(id);
            }
        });
        // The same job written again under another spelling of its key (so into another partition): still one
        // job, now renamed.
        produceAsLibrdkafka(app.topics().jobs(), "wrapped", "{\"name\": \"renamed\", \"cronExpression\": \"0 3 * * *\"}");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(Http.get(url("/api/v1/jobs/wrapped")).json().get("name").asText()).isEqualTo("renamed");
            JsonNode list = Http.get(url("/api/v1/jobs?limit=1000")).json();
            List<String> listed = new ArrayList<>();
            list.get("items").forEach(item -> listed.add(item.get("jobId").asText()));
            assertThat(listed).as("one state per id").doesNotHaveDuplicates().containsAll(keys.values());
        });

        // A trigger through the API, and commands from a CRC-32 producer, for every one of them.
        Instant requestedAt = Instant.now();
        List<String> expectedRuns = new ArrayList<>();
        for (String id : keys.values()) {
            if (id.startsWith("plain-")) {
                Command trigger = Command.trigger(id, "kcat", requestedAt);
                produceAsLibrdkafka(app.topics().commands(), id,
                        new String(JsonCodec.of(Command.class).write(trigger), StandardCharsets.UTF_8));
                expectedRuns.add(trigger.manualRunId());
            } else {
                Http.Response accepted = Http.post(url("/api/v1/jobs/" + id + "/trigger"), "{\"triggeredBy\": \"api\"}",
                        "Authorization", "Bearer " + TOKEN);
                assertThat(accepted.status()).as(id + " " + accepted.body()).isEqualTo(202);
                expectedRuns.add(accepted.json().get("runId").asText());
            }
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "foreign-producers-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(app.topics().jobDue(), app.topics().dlq()));
            List<DueEvent> due = new ArrayList<>();
            List<String> deadLetters = new ArrayList<>();
            JsonCodec<DueEvent> codec = JsonCodec.of(DueEvent.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.topic().equals(app.topics().jobDue())) {
                        due.add(codec.read(record.value()));
                    } else {
                        deadLetters.add(new String(record.headers().lastHeader("cronstream.error").value(),
                                StandardCharsets.UTF_8));
                    }
                });
                return due.stream().map(DueEvent::runId).toList().containsAll(expectedRuns);
            });
            assertThat(due).filteredOn(event -> expectedRuns.contains(event.runId()))
                    .hasSize(expectedRuns.size()).allMatch(event -> event.trigger() == Trigger.MANUAL);
            assertThat(deadLetters).as("no trigger refused as unknown").noneMatch(reason -> reason.contains("not known"));
        }
    }

    private String url(String path) {
        return Instances.url(service, path);
    }

}
