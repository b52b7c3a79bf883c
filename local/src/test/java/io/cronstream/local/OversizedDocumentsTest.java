package io.cronstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.cronstream.app.Settings;
import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.DueEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Job documents over the 256 KB limit written straight into MongoDB, through the whole stack of
 * {@code ./cronstream dev} (the real connector in a real Connect worker): none fails the connector's task (issue 23:
 * a 1.2 MB and a 3 MB document each did), each job shows {@code valid: false} naming the limit and its document is a
 * dead letter, an oversized update of a firing job stops it (fails closed), and later changes keep flowing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OversizedDocumentsTest {

    private static final int LIMIT = 256 * 1024;

    private DevStack stack;
    private Http api;
    private MongoClient client;
    private MongoCollection<Document> jobs;
    private DueEvents due;

    @BeforeAll
    void start() throws Exception {
        stack = DevStack.start(Files.createTempDirectory("cronstream-oversized"), DevStack.Ports.ANY_FREE, true,
                Settings.of(EndToEndContract.QUICK));
        api = new Http(stack.apiUrl());
        await().atMost(EndToEndContract.PATIENCE).until(() -> api.get("/ready").status() == 200);
        client = MongoClients.create(stack.infrastructure().mongo().connectionString());
        jobs = client.getDatabase("scheduler").getCollection("scheduled_jobs");
        due = new DueEvents(stack.infrastructure().kafka().bootstrapServers(), stack.app().topics().jobDue());
    }

    @AfterAll
    void stop() {
        if (due != null) {
            due.close();
        }
        if (client != null) {
            client.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void documentsOverTheLimitNeverFailTheTaskAndTheirJobsSayWhy() {
        jobs.insertOne(new Document("_id", "insert-1200k").append("cronExpression", "0 3 * * *")
                .append("payload", new Document("blob", "a".repeat(1_200_000))));
        jobs.insertOne(new Document("_id", "insert-3m").append("cronExpression", "0 3 * * *")
                .append("payload", new Document("blob", "b".repeat(3_000_000))));
        jobs.insertOne(new Document("_id", "update-1200k").append("cronExpression", "0 3 * * *"));
        jobs.insertOne(new Document("_id", "update-3m").append("cronExpression", "0 3 * * *"));
        awaitJob("update-3m", job -> job.path("valid").asBoolean());
        jobs.updateOne(Filters.eq("_id", "update-1200k"), Updates.set("payload", "c".repeat(1_200_000)));
        jobs.updateOne(Filters.eq("_id", "update-3m"), Updates.set("payload", "d".repeat(3_000_000)));
        jobs.insertOne(new Document("_id", "after-oversized").append("cronExpression", "0 4 * * *"));

        awaitJob("after-oversized", job -> job.path("valid").asBoolean());
        for (String id : List.of("insert-1200k", "insert-3m", "update-1200k", "update-3m")) {
            JsonNode job = awaitJob(id, shown -> !shown.path("valid").asBoolean());
            assertThat(job.path("error").asText()).as(id).contains("more than the " + LIMIT + " a job definition may have");
        }
        assertThat(api.get("/health").body().path("pipeline").path("task").asText()).isEqualTo("RUNNING");
        assertThat(stack.infrastructure().connect().status("mongo-scheduled-jobs").tasks())
                .extracting(task -> task.state()).containsOnly("RUNNING");
        List<String> oversized = List.of("insert-1200k", "insert-3m", "update-1200k", "update-3m");
        List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(oversized);
        assertThat(letters).extracting(letter -> new String(letter.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(oversized);
        assertThat(letters).allSatisfy(letter -> assertThat(header(letter, DeadLetter.ERROR))
                .contains("more than the " + LIMIT));
    }

    @Test
    void aLargeUpdateThatWouldDisableAFiringJobStopsItInstead() {
        jobs.insertOne(new Document("_id", "firing").append("cronExpression", "* * * * * *"));
        jobs.insertOne(new Document("_id", "witness").append("cronExpression", "* * * * * *"));
        await().atMost(EndToEndContract.PATIENCE).until(() -> !due.forJob("firing").isEmpty());

        // issue 23: a 300 KB update that disables the job was dead-lettered and the job kept firing
        jobs.updateOne(Filters.eq("_id", "firing"), Updates.combine(Updates.set("isEnabled", false),
                Updates.set("notes", "n".repeat(300_000))));

        awaitJob("firing", job -> !job.path("valid").asBoolean());
        int firesWhenStopped = due.forJob("firing").size();
        int witnessed = due.forJob("witness").size();
        // three more seconds of the witness, firing every second beside it, are three seconds without its fires
        await().atMost(EndToEndContract.PATIENCE).until(() -> due.forJob("witness").size() >= witnessed + 3);
        List<DueEvent> fires = due.forJob("firing");
        assertThat(fires.size()).as("fires after the refused update (at most the one already in flight)")
                .isLessThanOrEqualTo(firesWhenStopped + 1);
        assertThat(api.get("/api/v1/jobs/firing").body().path("nextFireAt").isNull()).isTrue();
    }

    private JsonNode awaitJob(String id, java.util.function.Predicate<JsonNode> shown) {
        await().atMost(EndToEndContract.PATIENCE).until(() -> {
            Http.Answer answer = api.get("/api/v1/jobs/" + id);
            return answer.status() == 200 && shown.test(answer.body());
        });
        return api.get("/api/v1/jobs/" + id).body();
    }

    /** The dead letters keyed by {@code keys}, read from the start of the DLQ until each key has one. */
    private List<ConsumerRecord<byte[], byte[]>> deadLetters(List<String> keys) {
        String topic = stack.app().topics().dlq();
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infrastructure().kafka().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(EndToEndContract.PATIENCE).until(() -> {
                for (ConsumerRecord<byte[], byte[]> letter : consumer.poll(Duration.ofMillis(200))) {
                    if (letter.key() != null && keys.contains(new String(letter.key(), StandardCharsets.UTF_8))) {
                        letters.add(letter);
                    }
                }
                return letters.size() >= keys.size();
            });
        }
        return letters;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
