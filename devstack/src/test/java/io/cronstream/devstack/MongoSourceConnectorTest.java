package io.cronstream.devstack;

import io.cronstream.connectors.ConnectorDefinition;
import io.cronstream.connectors.JobsTopicReader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * The real MongoDB source connector, configured by {@code mongo-scheduled-jobs.json}, between the
 * embedded MongoDB-compatible server and the embedded broker: what lands on {@code cronstream.jobs}.
 */
class MongoSourceConnectorTest {

    private static final Logger log = LoggerFactory.getLogger(MongoSourceConnectorTest.class);
    private static final String TOPIC = "cronstream.jobs";
    private static final ObjectId COPIED_OBJECT_ID = new ObjectId();
    private static final String CONNECTOR = ConnectorDefinition.mongoScheduledJobs().name();
    /** The job document limit the connector's pipeline enforces (bytes of BSON). */
    private static final int LIMIT = 256 * 1024;

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;
    private static EmbeddedMongo mongo;
    private static EmbeddedConnect connect;
    private static MongoClient mongoClient;
    private static MongoCollection<Document> jobs;
    private static JobsTopicReader topic;

    @BeforeAll
    static void startStack() {
        kafka = EmbeddedKafka.start(0, dataDir.resolve("kafka"), false);
        kafka.createTopics(new NewTopic(TOPIC, 1, (short) 1).configs(LocalStack.jobsTopicConfig()));
        mongo = EmbeddedMongo.inMemory(0);
        mongoClient = MongoClients.create(mongo.connectionString());
        jobs = mongoClient.getDatabase("scheduler").getCollection("scheduled_jobs");
        // there before the connector: only copy_existing can deliver these
        jobs.insertOne(new Document("_id", "copied").append("cron", "0 3 * * *").append("isEnabled", true));
        jobs.insertOne(new Document("_id", COPIED_OBJECT_ID).append("cron", "*/5 * * * *"));
        jobs.insertOne(new Document("_id", "copied-oversized").append("cron", "0 3 * * *")
                .append("payload", padding(1_200_000)));

        connect = startConnect();

        topic = new JobsTopicReader(kafka.bootstrapServers(), TOPIC);
    }

    @AfterAll
    static void stopStack() {
        topic.close();
        connect.close();
        mongoClient.close();
        mongo.close();
        kafka.close();
    }

    @Test
    void copiesDocumentsThatExistedBeforeTheConnectorStarted() {
        topic.awaitRecords("copied", 1);
        topic.awaitRecords(COPIED_OBJECT_ID.toHexString(), 1);

        assertThat(JobsTopicReader.document(topic.recordsFor("copied").get(0)))
                .isEqualTo(Map.of("_id", "copied", "cron", "0 3 * * *", "isEnabled", true));
        // SimplifiedJson: an ObjectId is its hex string, in the key and in the value
        assertThat(JobsTopicReader.document(topic.recordsFor(COPIED_OBJECT_ID.toHexString()).get(0)))
                .isEqualTo(Map.of("_id", COPIED_OBJECT_ID.toHexString(), "cron", "*/5 * * * *"));
    }

    @Test
    void publishesEveryChangeInOrderKeyedByIdWithATombstoneForTheDelete() {
        jobs.insertOne(new Document("_id", "job-1").append("name", "nightly").append("cron", "0 2 * * *"));
        topic.awaitRecords("job-1", 1);
        jobs.updateOne(Filters.eq("_id", "job-1"), Updates.set("cron", "30 2 * * *"));
        topic.awaitRecords("job-1", 2);
        jobs.replaceOne(Filters.eq("_id", "job-1"), new Document("name", "nightly v2").append("cron", "0 4 * * *"));
        topic.awaitRecords("job-1", 3);
        jobs.findOneAndUpdate(Filters.eq("_id", "job-1"), Updates.set("timeZone", "Europe/Berlin"));
        topic.awaitRecords("job-1", 4);
        jobs.updateOne(Filters.eq("_id", "job-1"), Updates.set("isEnabled", false));
        topic.awaitRecords("job-1", 5);
        jobs.deleteOne(Filters.eq("_id", "job-1"));
        topic.awaitRecords("job-1", 6);

        List<ConsumerRecord<String, String>> published = topic.recordsFor("job-1");
        assertThat(published).extracting(ConsumerRecord::key).containsOnly("job-1");
        assertThat(published.subList(0, 5)).extracting(JobsTopicReader::document).containsExactly(
                Map.of("_id", "job-1", "name", "nightly", "cron", "0 2 * * *"),
                Map.of("_id", "job-1", "name", "nightly", "cron", "30 2 * * *"),
                Map.of("_id", "job-1", "name", "nightly v2", "cron", "0 4 * * *"),
                Map.of("_id", "job-1", "name", "nightly v2", "cron", "0 4 * * *", "timeZone", "Europe/Berlin"),
                Map.of("_id", "job-1", "name", "nightly v2", "cron", "0 4 * * *", "timeZone", "Europe/Berlin",
                        "isEnabled", false));
        assertThat(published.get(5).value()).isNull();
    }

    @Test
    void aBurstOfChangesIsPublishedStateByStateInOrder() {
        // Written while the worker is down, so the connector reads them all late: each update is still
        // published as that update left the document (its post-image), never as it is by the time the
        // connector reads the event (updateLookup), which would show a later state before an earlier one.
        connect.close();
        jobs.insertOne(new Document("_id", "burst").append("v", 1));
        jobs.updateOne(Filters.eq("_id", "burst"), Updates.set("v", 2));
        jobs.replaceOne(Filters.eq("_id", "burst"), new Document("v", 3));
        jobs.findOneAndUpdate(Filters.eq("_id", "burst"), Updates.set("v", 4));
        jobs.updateOne(Filters.eq("_id", "burst"), Updates.set("v", 5));
        jobs.deleteOne(Filters.eq("_id", "burst"));
        jobs.insertOne(new Document("_id", "burst").append("v", 6));
        jobs.updateOne(Filters.eq("_id", "burst"), Updates.set("v", 7));
        connect = startConnect();
        topic.awaitRecords("burst", 8);

        assertThat(topic.recordsFor("burst")).extracting(record -> record.value() == null ? null : JobsTopicReader.document(record).get("v"))
                .containsExactly(1, 2, 3, 4, 5, null, 6, 7);
    }

    @Test
    void measuresInsertToRecordLatency() {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "latency-" + i;
            long written = System.nanoTime();
            jobs.insertOne(new Document("_id", id).append("cron", "* * * * *"));
            topic.awaitRecords(id, 1);
            micros.add((System.nanoTime() - written) / 1_000);
        }
        Collections.sort(micros);
        log.info("insert -> record latency over {} inserts: min {} ms, median {} ms, max {} ms", micros.size(),
                micros.get(0) / 1000.0, micros.get(micros.size() / 2) / 1000.0, micros.get(micros.size() - 1) / 1000.0);
    }

    @Test
    void resumesAfterAWorkerRestartWithTheChangesMadeWhileItWasDown() {
        jobs.insertOne(new Document("_id", "before-restart").append("cron", "0 * * * *"));
        topic.awaitRecords("before-restart", 1);

        connect.close();
        jobs.insertOne(new Document("_id", "while-down").append("cron", "15 * * * *"));
        jobs.updateOne(Filters.eq("_id", "while-down"), Updates.set("isEnabled", false));
        jobs.deleteOne(Filters.eq("_id", "before-restart"));
        int seenBeforeRestart = topic.all().size();
        connect = startConnect();

        // Anything replayed would be published before a write made after the restart.
        jobs.insertOne(new Document("_id", "after-restart"));
        topic.awaitRecords("after-restart", 1);
        List<ConsumerRecord<String, String>> all = topic.all();
        List<ConsumerRecord<String, String>> sinceRestart = all.subList(seenBeforeRestart, all.size());
        assertThat(sinceRestart).extracting(ConsumerRecord::key)
                .containsExactly("while-down", "while-down", "before-restart", "after-restart");
        assertThat(sinceRestart).extracting(record -> record.value() == null ? null : JobsTopicReader.document(record)).containsExactly(
                Map.of("_id", "while-down", "cron", "15 * * * *"),
                Map.of("_id", "while-down", "cron", "15 * * * *", "isEnabled", false),
                null,
                Map.of("_id", "after-restart"));
    }

    @Test
    void aDocumentOverTheLimitIsPublishedAsAStubWhileTheTaskKeepsRunning() {
        // 1.2 MB and 3 MB: over the producer's own limit, which failed the task before the pipeline stubbed them
        jobs.insertOne(new Document("_id", "oversized-insert").append("cron", "0 3 * * *")
                .append("payload", padding(1_200_000)));
        jobs.insertOne(new Document("_id", "oversized-update").append("cron", "0 3 * * *").append("version", 1));
        jobs.updateOne(Filters.eq("_id", "oversized-update"), Updates.combine(
                Updates.set("payload", padding(3_000_000)), Updates.set("version", 2)));
        jobs.replaceOne(Filters.eq("_id", "oversized-update"), new Document("cron", "0 4 * * *").append("version", 3));
        jobs.insertOne(new Document("_id", "after-oversized").append("cron", "0 5 * * *"));
        topic.awaitRecords("after-oversized", 1);
        topic.awaitRecords("oversized-update", 3);

        assertThat(JobsTopicReader.document(topic.recordsFor("oversized-insert").get(0))).isEqualTo(Map.of(
                "_id", "oversized-insert", "cronstreamTooLarge", Map.of("bytes", bsonSize(jobs, "oversized-insert"),
                        "limit", LIMIT)));
        List<ConsumerRecord<String, String>> updates = topic.recordsFor("oversized-update");
        assertThat(JobsTopicReader.document(updates.get(1))).isEqualTo(Map.of("_id", "oversized-update",
                "version", 2, "cronstreamTooLarge", Map.of("bytes", bsonSize(new Document("_id", "oversized-update")
                        .append("cron", "0 3 * * *").append("version", 2).append("payload", padding(3_000_000))),
                        "limit", LIMIT)));
        assertThat(JobsTopicReader.document(updates.get(2)))
                .isEqualTo(Map.of("_id", "oversized-update", "cron", "0 4 * * *", "version", 3));
        assertThat(topic.recordsFor("after-oversized")).hasSize(1);
        assertThat(connect.status(CONNECTOR).tasks()).extracting(task -> task.state()).containsOnly("RUNNING");
    }

    @Test
    void aDocumentOverTheLimitThatExistedBeforeTheConnectorIsCopiedAsAStub() {
        topic.awaitRecords("copied-oversized", 1);

        assertThat(JobsTopicReader.document(topic.recordsFor("copied-oversized").get(0))).isEqualTo(Map.of(
                "_id", "copied-oversized", "cronstreamTooLarge", Map.of("bytes", bsonSize(jobs, "copied-oversized"),
                        "limit", LIMIT)));
    }

    @Test
    void theLimitIsTheDocumentsBsonSizeToTheByte() {
        Document atLimit = new Document("_id", "at-limit").append("payload", "");
        atLimit.put("payload", "x".repeat(LIMIT - bsonSize(atLimit)));
        Document overLimit = new Document("_id", "over-limit").append("payload", "");
        overLimit.put("payload", "x".repeat(LIMIT + 1 - bsonSize(overLimit)));
        assertThat(bsonSize(atLimit)).isEqualTo(LIMIT);
        assertThat(bsonSize(overLimit)).isEqualTo(LIMIT + 1);
        jobs.insertOne(atLimit);
        jobs.insertOne(overLimit);
        topic.awaitRecords("over-limit", 1);

        assertThat(JobsTopicReader.document(topic.recordsFor("at-limit").get(0))).isEqualTo(Map.of(
                "_id", "at-limit", "payload", atLimit.getString("payload")));
        assertThat(JobsTopicReader.document(topic.recordsFor("over-limit").get(0))).isEqualTo(Map.of(
                "_id", "over-limit", "cronstreamTooLarge", Map.of("bytes", LIMIT + 1, "limit", LIMIT)));
    }

    private static String padding(int characters) {
        return "p".repeat(characters);
    }

    private static int bsonSize(Document document) {
        return new RawBsonDocument(document, new DocumentCodec()).getByteBuffer().remaining();
    }

    private static int bsonSize(MongoCollection<Document> collection, String id) {
        return bsonSize(collection.find(Filters.eq("_id", id)).first());
    }

    private static EmbeddedConnect startConnect() {
        return EmbeddedConnect.start(kafka.bootstrapServers(), 0, dataDir.resolve("connect"), false, List.of(
                ConnectorDefinition.mongoScheduledJobs().with("connection.uri", mongo.connectionString())));
    }
}
