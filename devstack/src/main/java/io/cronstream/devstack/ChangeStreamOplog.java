package io.cronstream.devstack;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * The oplog behind change streams, recording writes the way MongoDB reports them: replace apart
 * from update, the update description, deletes without a document, drops.
 *
 * <p>Kept in memory, ordered by position, so a read costs O(new entries) instead of a scan of every
 * write ever made (the stock oplog is a collection that each read scans). It is not persisted: a
 * restarted server starts an empty oplog at a later position, so a resume token saved before the
 * restart resumes cleanly with whatever is written after it. The oldest entries are dropped past
 * {@link #RETAINED_ENTRIES}; resuming before them fails as MongoDB does when history rolled off.
 */
final class ChangeStreamOplog implements Oplog {

    static final int RETAINED_ENTRIES = 50_000;

    private static final String ID = "_id";
    private static final int CHANGE_STREAM_HISTORY_LOST = 286;

    private final DatabaseResolver databases;
    private final CursorRegistry cursors;
    private final Clock clock;

    private final ConcurrentSkipListMap<Long, OplogEntry> entries = new ConcurrentSkipListMap<>();
    // Appends are serialised so that every entry at or below the high-water mark is visible to readers.
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Condition appended = appendLock.newCondition();
    private volatile long highWaterMark;
    private volatile long trimmedThrough;

    ChangeStreamOplog(DatabaseResolver databases, CursorRegistry cursors, Clock clock) {
        this.databases = databases;
        this.cursors = cursors;
        this.clock = clock;
    }

    @Override
    public void handleInsert(String namespace, List<Document> documents) {
        for (Document document : documents) {
            Object id = document.get(ID);
            // The stock server logs every document of an insert command, also those rejected as
            // duplicate keys: only what the collection now holds was inserted.
            if (find(namespace, id).filter(document::equals).isPresent()) {
                append("insert", namespace, id, document.cloneDeeply(), null);
            }
        }
    }

    /** An insert the stock server wrote without telling the oplog (an upserting findAndModify). */
    void recordInsert(String namespace, Object id) {
        find(namespace, id).ifPresent(document -> append("insert", namespace, id, document, null));
    }

    @Override
    public void handleUpdate(String namespace, Document selector, Document update, List<Object> modifiedIds) {
        boolean replacement = update.keySet().stream().noneMatch(key -> key.startsWith("$"));
        for (Object id : modifiedIds) {
            // Called while the collection is still locked by the update: this is the post-image.
            Optional<Document> written = find(namespace, id);
            if (written.isEmpty()) {
                continue;
            }
            if (replacement) {
                append("replace", namespace, id, written.get(), null);
            } else {
                append("update", namespace, id, updateDescription(update, written.get()), written.get());
            }
        }
    }

    @Override
    public void handleDelete(String namespace, Document query, List<Object> deletedIds) {
        deletedIds.forEach(id -> append("delete", namespace, id, null, null));
    }

    @Override
    public void handleDropCollection(String namespace) {
        append("drop", namespace, null, null, null);
    }

    @Override
    public Cursor createCursor(Document changeStream, String namespace, Aggregation aggregation) {
        return createCursor(changeStream, namespace, AggregationPipeline.of(aggregation));
    }

    /** A change stream whose later stages are {@code pipeline}, registered with the server's cursors. */
    ChangeStreamCursor createCursor(Document changeStream, String namespace, AggregationPipeline pipeline) {
        long after = startingPoint(changeStream);
        ChangeStreamCursor cursor = new ChangeStreamCursor(cursors.generateCursorId(), this, namespace,
                pipeline, ChangeStreamCursor.FullDocument.of(String.valueOf(changeStream.getOrDefault("fullDocument",
                        "default"))), after);
        cursors.add(cursor);
        return cursor;
    }

    /** The current operation time: after every entry written so far. */
    long now() {
        return Math.max(highWaterMark, clock.instant().getEpochSecond() << 32);
    }

    long highWaterMark() {
        return highWaterMark;
    }

    /** Entries after {@code after} up to and including {@code upTo}, oldest first. */
    Collection<OplogEntry> entries(long after, long upTo) {
        if (after < trimmedThrough) {
            throw new MongoServerError(CHANGE_STREAM_HISTORY_LOST, "ChangeStreamHistoryLost",
                    "Resume of change stream was not possible, as the resume point may no longer be in the oplog.");
        }
        return entries.subMap(after, false, upTo, true).values();
    }

    /** Waits until something is written after {@code seen} or the time is up. */
    void awaitWriteAfter(long seen, long timeoutMillis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        appendLock.lock();
        try {
            while (highWaterMark == seen && nanos > 0) {
                nanos = appended.awaitNanos(nanos);
            }
        } finally {
            appendLock.unlock();
        }
    }

    /** The document as it is now, or empty if it is gone (or its collection or database is). */
    Optional<Document> find(String namespace, Object id) {
        MongoCollection<?> collection = databases.resolve(Utils.getDatabaseNameFromFullName(namespace))
                .resolveCollection(Utils.getCollectionNameFromFullName(namespace), false);
        if (collection == null) {
            return Optional.empty();
        }
        // Collections update documents in place under their own lock: copy under it too.
        synchronized (collection) {
            return collection.handleQueryAsStream(new Document(ID, id)).findFirst().map(Document::cloneDeeply);
        }
    }

    private long startingPoint(Document changeStream) {
        Object token = changeStream.containsKey("startAfter") ? changeStream.get("startAfter") : changeStream.get("resumeAfter");
        if (token != null) {
            return ResumeTokens.position(token);
        }
        if (changeStream.get("startAtOperationTime") instanceof BsonTimestamp operationTime) {
            // inclusive: the entries from that time on
            return operationTime.getValue() - 1;
        }
        return now();
    }

    private void append(String operationType, String namespace, Object id, Document document, Document postImage) {
        appendLock.lock();
        try {
            long position = Math.max(highWaterMark + 1, (clock.instant().getEpochSecond() << 32) + 1);
            entries.put(position, new OplogEntry(position, clock.instant(), operationType, namespace, id, document,
                    postImage));
            highWaterMark = position;
            while (entries.size() > RETAINED_ENTRIES) {
                trimmedThrough = entries.pollFirstEntry().getKey();
            }
            appended.signalAll();
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * MongoDB's updateDescription at top-level-field granularity: each field an operator touched is
     * either updated (its new value) or removed. Consumers of full documents never read it.
     */
    private static Document updateDescription(Document update, Document written) {
        Set<String> touched = new LinkedHashSet<>();
        for (Object fields : update.values()) {
            if (fields instanceof Document document) {
                document.keySet().forEach(path -> touched.add(Utils.firstFragment(path)));
                if (update.get("$rename") == fields) {
                    document.values().forEach(path -> touched.add(Utils.firstFragment(String.valueOf(path))));
                }
            }
        }
        Document updated = new Document();
        List<String> removed = new ArrayList<>();
        for (String field : touched) {
            if (written.containsKey(field)) {
                updated.put(field, written.get(field));
            } else {
                removed.add(field);
            }
        }
        return new Document("updatedFields", updated)
                .append("removedFields", removed)
                .append("truncatedArrays", List.of());
    }
}
