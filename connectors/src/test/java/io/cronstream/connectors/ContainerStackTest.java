package io.cronstream.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.junit.jupiter.Testcontainers;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * The production pieces of docker-compose.yml, in Docker: a real MongoDB replica set, Kafka (the
 * compose file's images) and a Kafka Connect worker started as compose starts it (the same worker
 * properties, the plugin folder the build copies), with the committed
 * {@code connectors/mongo-scheduled-jobs.json} registered over the Connect REST API. A job written with
 * the MongoDB driver arrives on {@code cronstream.jobs} keyed by its bare id, as a JSON document, and a
 * delete as a tombstone.
 *
 * <p>Skipped where there is no Docker. Needs {@code connectors/target/plugins/mongo-kafka-connect/},
 * which any build up to {@code process-classes} makes; the images are pulled on the first run.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerStackTest {

    private static final Logger log = LoggerFactory.getLogger(ContainerStackTest.class);
    private static final String TOPIC = "cronstream.jobs";
    private static final ObjectId COPIED_OBJECT_ID = new ObjectId();

    @TempDir
    static Path tempDir;

    private static ContainerStack stack;
    private static MongoClient mongoClient;
    private static MongoCollection<Document> jobs;
    private static JobsTopicReader topic;

    @BeforeAll
    static void startStack() throws Exception {
        stack = ContainerStack.start(tempDir,
                List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact",
                        "max.message.bytes", Integer.toString(ConnectorDefinition.mongoScheduledJobs().maxRecordBytes())))),
                // before the connector: only copy_existing can deliver these
                client -> {
                    MongoCollection<Document> before = client.getDatabase("scheduler").getCollection("scheduled_jobs");
                    before.insertOne(new Document("_id", "copied").append("cron", "0 3 * * *").append("isEnabled", true));
                    before.insertOne(new Document("_id", COPIED_OBJECT_ID).append("cron", "*/5 * * * *"));
                });
        mongoClient = MongoClients.create(stack.mongoConnectionString());
        jobs = mongoClient.getDatabase("scheduler").getCollection("scheduled_jobs");

        topic = new JobsTopicReader(stack.bootstrapServers(), TOPIC);
    }

    @AfterAll
    static void stopStack() {
        if (topic != null) {
            topic.close();
        }
        if (mongoClient != null) {
            mongoClient.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void copiesTheDocumentsThatExistedBeforeTheConnector() {
        topic.awaitRecords("copied", 1);
        topic.awaitRecords(COPIED_OBJECT_ID.toHexString(), 1);
        assertThat(JobsTopicReader.document(topic.recordsFor("copied").get(0)))
                .isEqualTo(Map.of("_id", "copied", "cron", "0 3 * * *", "isEnabled", true));
        assertThat(JobsTopicReader.document(topic.recordsFor(COPIED_OBJECT_ID.toHexString()).get(0)))
                .isEqualTo(Map.of("_id", COPIED_OBJECT_ID.toHexString(), "cron", "*/5 * * * *"));
    }

    @Test
    void publishesInsertsUpdatesAndDeletesKeyedByTheBareIdWithATombstoneForTheDelete() {
        ObjectId id = new ObjectId();
        String key = id.toHexString();
        jobs.insertOne(new Document("_id", id).append("name", "nightly").append("cron", "0 2 * * *"));
        topic.awaitRecords(key, 1);
        jobs.updateOne(Filters.eq("_id", id), Updates.set("isEnabled", false));
        topic.awaitRecords(key, 2);
        jobs.deleteOne(Filters.eq("_id", id));
        topic.awaitRecords(key, 3);

        List<ConsumerRecord<String, String>> published = topic.recordsFor(key);
        assertThat(published).extracting(ConsumerRecord::key).containsOnly(key);
        assertThat(JobsTopicReader.document(published.get(0))).isEqualTo(Map.of("_id", key, "name", "nightly", "cron", "0 2 * * *"));
        assertThat(JobsTopicReader.document(published.get(1)))
                .isEqualTo(Map.of("_id", key, "name", "nightly", "cron", "0 2 * * *", "isEnabled", false));
        assertThat(published.get(2).value()).isNull();
    }

    @Test
    void measuresInsertToRecordLatency() {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "latency-" + i;
            long written = System.nanoTime();
            jobs.insertOne(new Document("_id", id).append("cron", "* * * * *"));
            topic.awaitRecords(id, 1);
            micros.add((System.nanoTime() - written) / 1_000);
        }
        Collections.sort(micros);
        log.info("containers: insert -> record latency over {} inserts: min {} ms, median {} ms, max {} ms", micros.size(),
                micros.get(0) / 1000.0, micros.get(micros.size() / 2) / 1000.0, micros.get(micros.size() - 1) / 1000.0);
    }





}
