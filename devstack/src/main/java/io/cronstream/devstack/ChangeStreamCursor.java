package io.cronstream.devstack;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.backend.AbstractCursor;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A change stream on one collection (or, for {@code db.watch()}, one database), producing events
 * in MongoDB's shape: {@code ns}, {@code documentKey: {_id}}, an update's {@code fullDocument} as
 * asked for (looked up now, null once the document is gone; or the post-image, the document as that
 * update left it), none on deletes, and an {@code invalidate} after the collection is dropped.
 */
final class ChangeStreamCursor extends AbstractCursor {

    /** The change stream's {@code fullDocument} option, for update events. */
    enum FullDocument {
        /** {@code default}: none. */
        NONE,
        /** {@code updateLookup}: the document as it is when the event is read. */
        LOOKUP,
        /** {@code whenAvailable} / {@code required} (MongoDB 6.0+): the document as the update left it. */
        POST_IMAGE;

        static FullDocument of(String option) {
            return switch (option) {
                case "updateLookup" -> LOOKUP;
                case "whenAvailable", "required" -> POST_IMAGE;
                default -> NONE;
            };
        }
    }

    // What a reply carries when the client names no batch size; bounds the reply size.
    private static final int DEFAULT_BATCH_SIZE = 1_000;
    // db.watch() arrives as "aggregate: 1".
    private static final String WHOLE_DATABASE = "1";

    private final ChangeStreamOplog oplog;
    private final String database;
    private final String collection;
    private final AggregationPipeline pipeline;
    private final FullDocument fullDocument;

    // guarded by this
    private long position;
    private boolean invalidated;

    ChangeStreamCursor(long id, ChangeStreamOplog oplog, String namespace, AggregationPipeline pipeline,
                       FullDocument fullDocument, long position) {
        super(id);
        this.oplog = oplog;
        this.database = Utils.getDatabaseNameFromFullName(namespace);
        this.collection = Utils.getCollectionNameFromFullName(namespace);
        this.pipeline = pipeline;
        this.fullDocument = fullDocument;
        this.position = position;
    }

    /** True once the stream is invalidated: the server then closes the cursor. */
    @Override
    public synchronized boolean isEmpty() {
        return invalidated;
    }

    @Override
    public synchronized List<Document> takeDocuments(int batchSize) {
        return read(batchSize > 0 ? batchSize : DEFAULT_BATCH_SIZE);
    }

    /**
     * Like {@link #takeDocuments} but, when nothing is new, waits up to {@code maxWaitMillis} for a
     * write: an await-data {@code getMore} that returned at once would make its client spin.
     */
    synchronized List<Document> awaitDocuments(int batchSize, long maxWaitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        while (true) {
            long seen = oplog.highWaterMark();
            List<Document> batch = takeDocuments(batchSize);
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!batch.isEmpty() || invalidated || remaining <= 0) {
                return batch;
            }
            oplog.awaitWriteAfter(seen, remaining);
        }
    }

    /** The token to resume after everything this cursor has read, including events the pipeline filtered out. */
    synchronized Document postBatchResumeToken() {
        return ResumeTokens.of(position);
    }

    private List<Document> read(int limit) {
        List<Document> batch = new ArrayList<>();
        long upTo = oplog.highWaterMark();
        if (invalidated || upTo <= position) {
            return batch;
        }
        for (OplogEntry entry : oplog.entries(position, upTo)) {
            if (batch.size() >= limit) {
                break;
            }
            position = entry.position();
            if (!inScope(entry)) {
                continue;
            }
            pipeline.run(Stream.of(event(entry))).forEach(batch::add);
            if (entry.operationType().equals("drop") && !collection.equals(WHOLE_DATABASE)) {
                batch.add(header(entry, "invalidate"));
                invalidated = true;
                break;
            }
        }
        return batch;
    }

    private boolean inScope(OplogEntry entry) {
        String entryCollection = Utils.getCollectionNameFromFullName(entry.namespace());
        return Utils.getDatabaseNameFromFullName(entry.namespace()).equals(database)
                && (entryCollection.equals(collection)
                    || collection.equals(WHOLE_DATABASE) && !entryCollection.startsWith("system."));
    }

    private Document event(OplogEntry entry) {
        Document event = header(entry, entry.operationType());
        switch (entry.operationType()) {
            case "insert", "replace" -> event.append("fullDocument", entry.document().cloneDeeply());
            case "update" -> {
                switch (fullDocument) {
                    case LOOKUP -> event.append("fullDocument", oplog.find(entry.namespace(), entry.documentId()).orElse(null));
                    case POST_IMAGE -> event.append("fullDocument", entry.postImage().cloneDeeply());
                    case NONE -> { }
                }
            }
            default -> {
                // delete and drop events carry no document: a missing fullDocument is what makes
                // the connector publish a tombstone for a delete
            }
        }
        event.append("ns", new Document("db", database)
                .append("coll", Utils.getCollectionNameFromFullName(entry.namespace())));
        if (entry.documentId() != null) {
            event.append("documentKey", new Document("_id", entry.documentId()));
        }
        if (entry.operationType().equals("update")) {
            event.append("updateDescription", entry.document().cloneDeeply());
        }
        return event;
    }

    private static Document header(OplogEntry entry, String operationType) {
        return new Document("_id", ResumeTokens.of(entry.position()))
                .append("operationType", operationType)
                .append("clusterTime", new BsonTimestamp(entry.position()))
                .append("wallTime", entry.wallTime());
    }
}
