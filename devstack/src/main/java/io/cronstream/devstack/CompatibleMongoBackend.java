package io.cronstream.devstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;

/**
 * A mongo-java-server backend whose change streams look enough like a MongoDB replica set's for
 * the stock MongoDB Kafka source connector to work unchanged. Against the stock backend the
 * connector only ever sees {@code copy_existing} output; here:
 * <ol>
 *   <li>events carry {@code ns};</li>
 *   <li>{@code documentKey} is {@code {_id}}, never the update spec;</li>
 *   <li>a replacement is reported as {@code replace};</li>
 *   <li>a looked-up {@code fullDocument} is null once the document is gone, and {@code fullDocument:
 *       required} / {@code whenAvailable} give the post-image (MongoDB 6.0), the document as that update left it;</li>
 *   <li>deletes carry no {@code fullDocument}, so the connector emits a tombstone;</li>
 *   <li>findOneAndUpdate / -Replace / -Delete are recorded ({@link #findAndModify});</li>
 *   <li>change-stream replies carry {@code postBatchResumeToken} and {@code operationTime}, and resume
 *       tokens have MongoDB's shape ({@link ResumeTokens});</li>
 *   <li>a change-stream {@code getMore} waits for a write (up to {@value #MAX_AWAIT_MILLIS} ms)
 *       instead of returning at once;</li>
 *   <li>pipelines (change streams and aggregations, so {@code copy_existing} too) may use {@code $set} and
 *       {@code $bsonSize} ({@link SetStage}), as the connector's pipeline does to replace an oversized document by
 *       a stub.</li>
 * </ol>
 * Points 1–5 live in {@link ChangeStreamOplog} and {@link ChangeStreamCursor}. It also stops
 * reporting inserts rejected as duplicate keys.
 *
 * <p>It subclasses mongo-java-server internals, hence the exact version pin (1.47.0). Local
 * runs and tests only: production uses a MongoDB replica set with the same connector config.
 */
public final class CompatibleMongoBackend extends AbstractMongoBackend {

    // A getMore blocks one of the server's event-loop threads: long enough to stop a client
    // spinning, short enough for the connector to stop promptly.
    static final long MAX_AWAIT_MILLIS = 50;

    private static final String ID = "_id";

    private final Storage storage;
    private final ChangeStreamOplog changeStreams;

    private CompatibleMongoBackend(Storage storage) {
        this.storage = storage;
        this.changeStreams = new ChangeStreamOplog(this::resolveDatabase, getCursorRegistry(), getClock());
        enableOplog();
        storage.existingDatabases().forEach(this::resolveDatabase);
    }

    /** Everything in memory, gone on close: for tests. */
    public static CompatibleMongoBackend inMemory() {
        return new CompatibleMongoBackend(new Storage() {
            @Override
            public MongoDatabase open(String name, CursorRegistry cursors) {
                return new MemoryDatabase(name, cursors);
            }

            @Override
            public Set<String> existingDatabases() {
                return Set.of();
            }

            @Override
            public void close() {
            }
        });
    }

    /** Databases kept in one H2 MVStore file, reopened by the next start: for local runs. */
    public static CompatibleMongoBackend h2(Path file) {
        MVStore store = MVStore.open(file.toString());
        return new CompatibleMongoBackend(new Storage() {
            @Override
            public MongoDatabase open(String name, CursorRegistry cursors) {
                return new H2Database(name, store, cursors);
            }

            @Override
            public Set<String> existingDatabases() {
                // H2Database names its maps "databases.<database>.<collection>..."
                return store.getMapNames().stream()
                        .filter(map -> map.startsWith("databases."))
                        .map(map -> Utils.firstFragment(map.substring("databases.".length())))
                        .collect(Collectors.toSet());
            }

            @Override
            public void close() {
                store.close();
            }
        });
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return storage.open(databaseName, getCursorRegistry());
    }

    @Override
    protected Oplog createOplog() {
        return changeStreams;
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        if (command.equalsIgnoreCase("findAndModify")) {
            return findAndModify(channel, databaseName, command, query);
        }
        if (command.equalsIgnoreCase("insert")) {
            // Lets the oplog tell inserted documents from rejected duplicates before anyone else writes.
            return underCollectionLock(databaseName, query.get(command),
                    () -> super.handleCommand(channel, databaseName, command, query));
        }
        boolean ownAggregate = command.equalsIgnoreCase("aggregate") && query.get("pipeline") instanceof List<?> stages
                && AggregationPipeline.hasOwnStages(stages);
        Document response = ownAggregate ? aggregate(databaseName, query)
                : super.handleCommand(channel, databaseName, command, query);
        if (command.equalsIgnoreCase("aggregate") && isChangeStream(query)
                && response.get("cursor") instanceof Document cursor
                && cursor.get("id") instanceof Number id && id.longValue() != 0
                && getCursorRegistry().getCursor(id.longValue()) instanceof ChangeStreamCursor stream) {
            cursor.put("postBatchResumeToken", stream.postBatchResumeToken());
            response.put("operationTime", new BsonTimestamp(changeStreams.now()));
        }
        return response;
    }

    @Override
    protected Document handleGetMore(String databaseName, String command, Document query) {
        long cursorId = ((Number) query.get(command)).longValue();
        if (!(getCursorRegistry().getCursor(cursorId) instanceof ChangeStreamCursor stream)) {
            return super.handleGetMore(databaseName, command, query);
        }
        int batchSize = ((Number) query.getOrDefault("batchSize", 0)).intValue();
        long maxWait = query.get("maxTimeMS") instanceof Number maxTime
                ? Math.min(maxTime.longValue(), MAX_AWAIT_MILLIS) : MAX_AWAIT_MILLIS;
        List<Document> batch;
        try {
            batch = stream.awaitDocuments(batchSize, maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            batch = List.of();
        }
        if (stream.isEmpty()) {
            getCursorRegistry().remove(cursorId);
        }
        Document cursor = new Document("id", stream.isEmpty() ? 0L : cursorId)
                .append("ns", databaseName + "." + query.get("collection"))
                .append("nextBatch", batch)
                .append("postBatchResumeToken", stream.postBatchResumeToken());
        Document response = new Document("cursor", cursor);
        Utils.markOkay(response);
        response.put("operationTime", new BsonTimestamp(changeStreams.now()));
        return response;
    }

    @Override
    public void close() {
        super.close();
        storage.close();
    }

    /**
     * findAndModify as the stock server runs it, plus the oplog entry it forgets. Runs under the
     * collection's lock so the entry describes exactly this write.
     */
    private Document findAndModify(Channel channel, String databaseName, String command, Document query) {
        return underCollectionLock(databaseName, query.get(command), () -> {
            String namespace = databaseName + "." + query.get(command);
            Document selector = query.get("query") instanceof Document document ? document : new Document();
            boolean remove = Utils.isTrue(query.get("remove"));
            boolean upsert = Utils.isTrue(query.get("upsert"));

            Document request = query.clone();
            // The oplog needs the _id of whatever was written, even if the caller projected it away.
            boolean hideId = query.get("fields") instanceof Document fields
                    && fields.containsKey(ID) && !Utils.isTrue(fields.get(ID));
            if (hideId) {
                Document fields = ((Document) query.get("fields")).clone();
                fields.remove(ID);
                request.put("fields", fields);
            }
            // The stock server returns no trace of an upserted document unless asked for the new one.
            boolean inserts = !remove && upsert && !matches(databaseName, query.get(command), selector);
            if (inserts) {
                request.put("new", Boolean.TRUE);
            }

            Document response = super.handleCommand(channel, databaseName, command, request);
            if (!(response.get("value") instanceof Document value)) {
                return response;
            }
            Object id = value.get(ID);
            if (remove) {
                changeStreams.handleDelete(namespace, selector, List.of(id));
            } else if (inserts) {
                changeStreams.recordInsert(namespace, id);
                response.put("lastErrorObject", new Document("n", 1)
                        .append("updatedExisting", Boolean.FALSE)
                        .append("upserted", id));
            } else {
                changeStreams.handleUpdate(namespace, selector, (Document) query.get("update"), List.of(id));
            }
            if (inserts && !Utils.isTrue(query.get("new"))) {
                response.put("value", null);
            } else if (hideId) {
                Document shown = value.clone();
                shown.remove(ID);
                response.put("value", shown);
            }
            return response;
        });
    }

    /**
     * An aggregation whose stages include one the stock server lacks ({@code $set}, see {@link AggregationPipeline}):
     * run here, the server's stages by the server. Its result is one batch, as the stock server answers an aggregate.
     */
    private Document aggregate(String databaseName, Document query) {
        String collectionName = String.valueOf(query.get("aggregate"));
        String namespace = databaseName + "." + collectionName;
        MongoDatabase database = resolveDatabase(databaseName);
        MongoCollection<?> collection = database.resolveCollection(collectionName, false);
        List<Document> stages = Aggregation.parse(query.get("pipeline"));
        Function<List<Document>, Aggregation> serverStages = part -> Aggregation.fromPipeline(part,
                this::resolveDatabase, database, collection, changeStreams);
        Document cursor;
        if (stages.get(0).get("$changeStream") instanceof Document changeStream) {
            ChangeStreamCursor stream = changeStreams.createCursor(changeStream, namespace,
                    AggregationPipeline.of(stages.subList(1, stages.size()), serverStages));
            int batchSize = query.get("cursor") instanceof Document options
                    && options.get("batchSize") instanceof Number size ? size.intValue() : 0;
            cursor = new Document("id", stream.getId()).append("ns", namespace)
                    .append("firstBatch", stream.takeDocuments(batchSize));
        } else {
            List<Document> results = collection == null ? List.of()
                    : AggregationPipeline.of(stages, serverStages).run(collection.queryAllAsStream()).toList();
            cursor = new Document("id", 0L).append("ns", namespace).append("firstBatch", results);
        }
        Document response = new Document("cursor", cursor);
        Utils.markOkay(response);
        return response;
    }

    private boolean matches(String databaseName, Object collectionName, Document selector) {
        MongoCollection<?> collection = resolveDatabase(databaseName).resolveCollection(String.valueOf(collectionName), false);
        return collection != null && collection.handleQuery(selector, 0, 1).iterator().hasNext();
    }

    private Document underCollectionLock(String databaseName, Object collectionName, Supplier<Document> write) {
        MongoCollection<?> collection = collectionName instanceof String name
                ? resolveDatabase(databaseName).resolveCollection(name, false) : null;
        if (collection == null) {
            // Not there yet, so nothing to lock: this write creates it. Concurrent first writes to
            // a new collection are left unserialised.
            return write.get();
        }
        synchronized (collection) {
            return write.get();
        }
    }

    private static boolean isChangeStream(Document aggregate) {
        return aggregate.get("pipeline") instanceof List<?> pipeline && !pipeline.isEmpty()
                && pipeline.get(0) instanceof Document first && first.containsKey("$changeStream");
    }

    private interface Storage {
        MongoDatabase open(String name, CursorRegistry cursors);

        Set<String> existingDatabases();

        void close();
    }
}
