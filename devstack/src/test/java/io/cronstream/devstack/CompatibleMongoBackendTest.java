package io.cronstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.MongoCommandException;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.FullDocument;

/** Change streams as the MongoDB driver sees them, one deviation of the stock server at a time. */
class CompatibleMongoBackendTest {

    private static EmbeddedMongo mongo;
    private static MongoClient client;

    private MongoCollection<Document> jobs;

    @BeforeAll
    static void startServer() {
        mongo = EmbeddedMongo.inMemory(0);
        client = MongoClients.create(mongo.connectionString());
    }

    @AfterAll
    static void stopServer() {
        client.close();
        mongo.close();
    }

    @BeforeEach
    void collectionPerTest(TestInfo test) {
        jobs = client.getDatabase("scheduler").getCollection(test.getTestMethod().orElseThrow().getName());
    }

    @Test
    void reportsEachKindOfWriteWithNamespaceDocumentKeyAndFullDocument() {
        try (MongoChangeStreamCursor<BsonDocument> stream = watch()) {
            // one write at a time: an update's fullDocument is looked up when the event is read
            List<BsonDocument> events = new ArrayList<>();
            jobs.insertOne(new Document("_id", "a").append("cron", "* * * * *"));
            events.addAll(next(stream, 1));
            jobs.updateOne(Filters.eq("_id", "a"), Updates.set("isEnabled", false));
            events.addAll(next(stream, 1));
            jobs.replaceOne(Filters.eq("_id", "a"), new Document("cron", "0 * * * *"));
            events.addAll(next(stream, 1));
            jobs.findOneAndUpdate(Filters.eq("_id", "a"), Updates.set("name", "hourly"));
            events.addAll(next(stream, 1));
            jobs.findOneAndReplace(Filters.eq("_id", "a"), new Document("cron", "0 0 * * *"));
            events.addAll(next(stream, 1));
            jobs.findOneAndDelete(Filters.eq("_id", "a"));
            events.addAll(next(stream, 1));

            assertThat(events).extracting(event -> event.getString("operationType").getValue())
                    .containsExactly("insert", "update", "replace", "update", "replace", "delete");
            assertThat(events).allSatisfy(event -> {
                assertThat(event.getDocument("ns")).isEqualTo(BsonDocument.parse(
                        "{db: 'scheduler', coll: 'reportsEachKindOfWriteWithNamespaceDocumentKeyAndFullDocument'}"));
                assertThat(event.getDocument("documentKey")).isEqualTo(new BsonDocument("_id", new BsonString("a")));
                assertThat(event.getDocument("_id").getString("_data").getValue()).startsWith("82");
            });
            assertThat(events).extracting(event -> event.get("fullDocument")).containsExactly(
                    BsonDocument.parse("{_id: 'a', cron: '* * * * *'}"),
                    BsonDocument.parse("{_id: 'a', cron: '* * * * *', isEnabled: false}"),
                    BsonDocument.parse("{_id: 'a', cron: '0 * * * *'}"),
                    BsonDocument.parse("{_id: 'a', cron: '0 * * * *', name: 'hourly'}"),
                    BsonDocument.parse("{_id: 'a', cron: '0 0 * * *'}"),
                    null);
            assertThat(events.get(5)).doesNotContainKey("fullDocument");
            assertThat(events.get(1).getDocument("updateDescription").getDocument("updatedFields"))
                    .isEqualTo(BsonDocument.parse("{isEnabled: false}"));
        }
    }

    @Test
    void looksUpNullWhenTheUpdatedDocumentIsAlreadyGone() {
        try (MongoChangeStreamCursor<BsonDocument> stream = watch()) {
            jobs.insertOne(new Document("_id", "gone"));
            jobs.updateOne(Filters.eq("_id", "gone"), Updates.set("isEnabled", false));
            jobs.deleteOne(Filters.eq("_id", "gone"));

            List<BsonDocument> events = next(stream, 3);

            assertThat(events.get(1).getString("operationType").getValue()).isEqualTo("update");
            assertThat(events.get(1).get("fullDocument").isNull()).isTrue();
            assertThat(events.get(2)).doesNotContainKey("fullDocument");
        }
    }

    @Test
    void reportsAnUpsertingFindAndModifyAsAnInsertAndIgnoresRejectedDuplicates() {
        jobs.insertOne(new Document("_id", "existing"));
        try (MongoChangeStreamCursor<BsonDocument> stream = watch()) {
            Document before = jobs.findOneAndUpdate(Filters.eq("_id", "new"), Updates.set("cron", "* * * * *"),
                    new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE));
            try {
                jobs.insertOne(new Document("_id", "existing").append("cron", "rejected"));
            } catch (com.mongodb.MongoWriteException expected) {
                // duplicate key
            }
            jobs.deleteOne(Filters.eq("_id", "existing"));

            assertThat(before).isNull();
            assertThat(next(stream, 2)).extracting(event -> event.getString("operationType").getValue()
                            + " " + event.getDocument("documentKey").getString("_id").getValue())
                    .containsExactly("insert new", "delete existing");
        }
    }

    @Test
    void resumesAfterATokenAndReportsAPostBatchResumeTokenWhenIdle() {
        BsonDocument afterFirst;
        try (MongoChangeStreamCursor<BsonDocument> stream = watch()) {
            jobs.insertOne(new Document("_id", 1));
            jobs.insertOne(new Document("_id", 2));
            afterFirst = next(stream, 2).get(0).getDocument("_id");
        }
        try (MongoChangeStreamCursor<BsonDocument> resumed = raw(jobs.watch().startAfter(afterFirst))) {
            assertThat(next(resumed, 1).get(0).getDocument("documentKey").getInt32("_id").getValue()).isEqualTo(2);
            assertThat(resumed.tryNext()).isNull();
            assertThat(resumed.getResumeToken()).isNotNull();
            assertThat(resumed.getResumeToken().getString("_data").getValue()).startsWith("82");
        }
    }

    @Test
    void anIdleGetMoreWaitsForAWriteInsteadOfReturningAtOnce() {
        try (MongoChangeStreamCursor<BsonDocument> stream = watch()) {
            long started = System.nanoTime();
            assertThat(stream.tryNext()).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(CompatibleMongoBackend.MAX_AWAIT_MILLIS - 10));
        }
    }

    @Test
    void keepsDataInAnH2FileAcrossRestarts(@TempDir Path dataDir) {
        try (EmbeddedMongo persistent = EmbeddedMongo.persistent(0, dataDir, false);
             MongoClient h2Client = MongoClients.create(persistent.connectionString())) {
            MongoCollection<Document> h2Jobs = h2Client.getDatabase("scheduler").getCollection("scheduled_jobs");
            try (MongoChangeStreamCursor<BsonDocument> stream = raw(h2Jobs.watch().fullDocument(FullDocument.UPDATE_LOOKUP))) {
                h2Jobs.insertOne(new Document("_id", "kept"));
                h2Jobs.updateOne(Filters.eq("_id", "kept"), Updates.set("cron", "* * * * *"));
                assertThat(next(stream, 2).get(1).getDocument("fullDocument"))
                        .isEqualTo(BsonDocument.parse("{_id: 'kept', cron: '* * * * *'}"));
            }
        }
        try (EmbeddedMongo persistent = EmbeddedMongo.persistent(0, dataDir, false);
             MongoClient h2Client = MongoClients.create(persistent.connectionString())) {
            assertThat(h2Client.getDatabase("scheduler").getCollection("scheduled_jobs").find().into(new ArrayList<>()))
                    .containsExactly(new Document("_id", "kept").append("cron", "* * * * *"));
        }
    }

    @Test
    void setGivesAFieldItsExpressionsValueAndMeasuresBsonSize() {
        Document original = new Document("_id", "a").append("sub", new Document("x", 1).append("y", 2))
                .append("gone", 1);
        jobs.insertOne(original);
        int size = new RawBsonDocument(original, new DocumentCodec()).getByteBuffer().remaining();

        Document result = jobs.aggregate(List.of(Document.parse("""
                {$set: {
                  sub: {$cond: {if: {$gt: [{$bsonSize: "$$ROOT"}, 10]}, then: {only: "$_id"}, else: "$sub"}},
                  size: {$bsonSize: "$$ROOT"},
                  absent: {$bsonSize: "$nothing"},
                  gone: "$$REMOVE",
                  kept: {$ifNull: ["$nothing", "$$REMOVE"]},
                  merged: {a: {$literal: "$x"}}}}"""))).first();

        // replaced, where the stock $addFields would merge {only} into {x, y}
        assertThat(result.get("sub")).isEqualTo(new Document("only", "a"));
        assertThat(result.get("size")).isEqualTo(size);
        assertThat(result.containsKey("absent")).isTrue();
        assertThat(result.get("absent")).isNull();
        assertThat(result).doesNotContainKeys("gone", "kept");
        assertThat(result.get("merged")).isEqualTo(new Document("a", "$x"));
    }

    @Test
    void anOperatorSetDoesNotKnowIsRefusedAsMongoDbRefusesIt() {
        jobs.insertOne(new Document("_id", "a"));

        assertThatThrownBy(() -> jobs.aggregate(List.of(Document.parse("{$set: {n: {$strLenCP: \"$_id\"}}}")))
                .first()).isInstanceOf(MongoCommandException.class).hasMessageContaining("$strLenCP");
    }

    private MongoChangeStreamCursor<BsonDocument> watch() {
        return raw(jobs.watch().fullDocument(FullDocument.UPDATE_LOOKUP));
    }

    /** Events as raw BSON, as the connector reads them. */
    private static MongoChangeStreamCursor<BsonDocument> raw(ChangeStreamIterable<Document> stream) {
        return (MongoChangeStreamCursor<BsonDocument>) stream.maxAwaitTime(1, TimeUnit.SECONDS)
                .withDocumentClass(BsonDocument.class).cursor();
    }

    private static List<BsonDocument> next(MongoChangeStreamCursor<BsonDocument> stream, int count) {
        List<BsonDocument> events = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.size() < count && System.nanoTime() < deadline) {
            BsonDocument event = stream.tryNext();
            if (event != null) {
                events.add(event);
            }
        }
        assertThat(events).hasSize(count);
        return events;
    }
}
