package io.cronstream.api;

import com.mongodb.ConnectionString;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job documents in MongoDB, the one source of truth (DESIGN §11): the API writes here, never to
 * {@code cronstream.jobs}, and the connector carries every write to the ticker. Every write of a job is a
 * single-document operation conditional on the version the caller read, so a stale write changes nothing.
 * The change trail lives beside the jobs in {@code <collection>_changes}, one document per write.
 */
public final class MongoJobs implements AutoCloseable {

    /**
     * {@code cronstream.mongo.uri}, {@code .database}, {@code .collection}, and {@code .changes.retention}: how long
     * an entry of the change trail is kept (a TTL index on its time).
     */
    public record Config(String uri, String database, String collection, Duration trailRetention) {

        public static final Duration DEFAULT_TRAIL_RETENTION = Duration.ofDays(365);

        @Override
        public String toString() {
            // The URI may hold a password: never printed.
            return "MongoJobs.Config[database=" + database + ", collection=" + collection + ", trailRetention="
                    + trailRetention + "]";
        }
    }

    private static final Logger log = LoggerFactory.getLogger(MongoJobs.class);
    /** A request must not hang on an unreachable server: it gets 503 with Retry-After instead. */
    private static final int TIMEOUT_MS = 3_000;

    private final MongoClient client;
    private final MongoCollection<Document> jobs;
    private final MongoCollection<Document> changes;
    private final String where;
    private final Duration trailRetention;

    private MongoJobs(MongoClient client, Config config) {
        this.client = client;
        this.jobs = client.getDatabase(config.database()).getCollection(config.collection());
        this.changes = client.getDatabase(config.database()).getCollection(config.collection() + "_changes");
        this.where = config.database() + "." + config.collection();
        this.trailRetention = config.trailRetention();
    }

    /** Connects lazily: an unreachable server fails the requests (503), never the start. */
    public static MongoJobs connect(Config config) {
        ConnectionString uri;
        try {
            uri = new ConnectionString(config.uri());
        } catch (IllegalArgumentException e) {
            // The driver's message may repeat the string, password included.
            throw new IllegalArgumentException("setting cronstream.mongo.uri is not a MongoDB connection string "
                    + "(mongodb://... or mongodb+srv://...; the value is not shown)");
        }
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(uri)
                .applyToClusterSettings(c -> c.serverSelectionTimeout(TIMEOUT_MS, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(s -> s.connectTimeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                        .readTimeout(2 * TIMEOUT_MS, TimeUnit.MILLISECONDS))
                .build();
        return new MongoJobs(MongoClients.create(settings), config);
    }

    /** The job documents as MongoDB stores them, for the reconciliation (which reads them as the connector does). */
    public MongoCollection<RawBsonDocument> documents() {
        return jobs.withDocumentClass(RawBsonDocument.class);
    }

    /** {@code database.collection}, for messages. */
    String where() {
        return where;
    }

    Optional<Document> find(String jobId) {
        return call(() -> Optional.ofNullable(jobs.find(Filters.eq("_id", jobId)).first()));
    }

    /**
     * Documents whose {@code name} field is {@code name} ({@code displayName} is a label, not a key), at most two:
     * more than one is ambiguous.
     */
    List<Document> findByName(String name) {
        return call(() -> jobs.find(Filters.eq("name", name)).limit(2).into(new ArrayList<>()));
    }

    /** False when a document with that id exists already. */
    boolean insert(Document document) {
        return call(() -> {
            try {
                jobs.insertOne(document);
                return true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Replaces the job only if it is still at {@code expectedVersion} (null: written without a version). */
    boolean replace(String jobId, Long expectedVersion, Document document) {
        return call(() -> jobs.replaceOne(atVersion(jobId, expectedVersion), document).getMatchedCount() == 1);
    }

    boolean delete(String jobId, Long expectedVersion) {
        return call(() -> jobs.deleteOne(atVersion(jobId, expectedVersion)).getDeletedCount() == 1);
    }

    void recordChange(Document entry) {
        call(() -> changes.insertOne(entry));
    }

    /** Records {@code entry} under {@code id} unless an entry with that id is there already (a retried request). */
    void recordChangeOnce(ObjectId id, Document entry) {
        call(() -> {
            try {
                Document withId = new Document("_id", id);
                withId.putAll(entry);
                changes.insertOne(withId);
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
        });
    }

    /** Whether the trail holds the entry {@code id} (one written once, by {@link #recordChangeOnce}). */
    boolean hasChange(ObjectId id) {
        return call(() -> changes.find(Filters.eq("_id", id)).first() != null);
    }

    /**
     * A job's trail newest first ({@code at}, then the entry's {@code _id}), after the entry {@code (afterAt,
     * afterId)} (null: from the newest), at most {@code limit}: the {@code (jobId, at)} index reads the page.
     */
    List<Document> changes(String jobId, Date afterAt, ObjectId afterId, int limit) {
        Bson job = Filters.eq("jobId", jobId);
        Bson filter = afterAt == null ? job : Filters.and(job, Filters.or(Filters.lt("at", afterAt),
                Filters.and(Filters.eq("at", afterAt), Filters.lt("_id", afterId))));
        return call(() -> changes.find(filter).sort(Sorts.descending("at", "_id")).limit(limit)
                .into(new ArrayList<>()));
    }

    /**
     * Best effort: the trail is read by job (without that index it is only slower), and its entries go after the
     * trail retention (a TTL index on {@code at}; MongoDB's TTL monitor deletes them, about once a minute).
     */
    public void ensureIndexes() {
        try {
            changes.createIndex(Indexes.ascending("jobId", "at"));
            changes.createIndex(Indexes.ascending("at"), new IndexOptions().name("trail-retention")
                    .expireAfter(trailRetention.toSeconds(), TimeUnit.SECONDS));
        } catch (MongoException e) {
            // an index of that name with another retention: drop it (db.<collection>_changes.dropIndex(
            // "trail-retention")) and restart, or change its expireAfterSeconds with collMod
            log.warn("event=mongo-index-failed collection={}_changes reason={}", where, e.getMessage());
        }
    }

    private static Bson atVersion(String jobId, Long version) {
        return Filters.and(Filters.eq("_id", jobId),
                version == null ? Filters.exists("version", false) : Filters.eq("version", version));
    }

    private <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (MongoException e) {
            log.warn("event=mongo-unavailable where={} reason={}", where, e.getClass().getSimpleName());
            throw ApiException.unavailable("MongoDB (" + where + ") cannot be reached or refused the write: "
                    + e.getClass().getSimpleName() + "; nothing was written, try again");
        }
    }

    private void call(Runnable operation) {
        call(() -> {
            operation.run();
            return null;
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
