package io.cronstream.app.reconcile;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.cronstream.api.Cluster;
import io.cronstream.api.StoreProvider;
import io.cronstream.schemas.Printable;
import io.cronstream.ticker.JobRepair;
import io.cronstream.ticker.JobSource;
import io.cronstream.ticker.JobState;
import io.cronstream.ticker.TickerTopology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the reconciliation (DESIGN §1): compares MongoDB's job documents with the jobs this instance's
 * ticker tasks hold, and repairs each difference, a job missing from the ticker, one whose document changed, one
 * the ticker holds that MongoDB no longer has, by writing to the jobs topic what the connector would have written
 * (the document, or a tombstone), as a {@link JobRepair}. Every instance reconciles the partitions it owns.
 *
 * <p>A repair never puts an older definition over a newer one: the ticker state is read before MongoDB, and the
 * repair names the job's last applied record as it was then; the ticker applies it only if no record of the job
 * came in between ({@link JobRepair}). A repair the connector overtook is dropped; the next pass looks again.
 *
 * <p>Cost of a pass, with M documents in MongoDB and J jobs owned here: one cursor over every {@code _id}, in pages
 * of {@value #PAGE}; per page, two point reads of the local stores for each document owned here, then those
 * documents whole, by one {@code $in} query; then the local jobs in pages of {@value #PAGE} keys, each page one
 * {@code $in} query on {@code _id}. So O(M) ids and O(J) documents and store reads per instance, O(page) memory:
 * with N instances MongoDB sends each document in full once per pass, and every id N times.
 */
public final class Reconciler implements AutoCloseable {

    static final int PAGE = 500;

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Cluster cluster;
    private final StoreProvider stores;
    private final MongoCollection<RawBsonDocument> documents;
    private final Producer<byte[], byte[]> producer;
    private final String jobsTopic;
    private final Clock clock;
    private final MeterRegistry registry;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "cronstream-reconcile");
        thread.setDaemon(true);
        return thread;
    });

    /** What a pass did. */
    public record Pass(long documents, long checked, int repairs) {
    }

    enum Kind { MISSING, STALE, ORPHAN }

    public Reconciler(Cluster cluster, StoreProvider stores, MongoCollection<RawBsonDocument> documents,
            Producer<byte[], byte[]> producer, String jobsTopic, Clock clock, MeterRegistry registry) {
        this.cluster = cluster;
        this.stores = stores;
        this.documents = documents;
        this.producer = producer;
        this.jobsTopic = jobsTopic;
        this.clock = clock;
        this.registry = registry;
        for (Kind kind : Kind.values()) {
            counter(kind); // every kind in /metrics from the start, at 0
        }
    }

    /** Runs a pass every {@code interval} (the first one an interval after the start) on a thread of its own. */
    public Reconciler start(Duration interval) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                run();
            } catch (RuntimeException e) {
                // a rebalance, a store still restoring, MongoDB away: the next interval tries again
                LOG.atWarn().addKeyValue("event", "reconcile-failed").addKeyValue("reason", e.toString())
                        .log("event=reconcile-failed reason=\"{}\"", Printable.escape(e.toString()));
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One pass over MongoDB and the local jobs. Throws while this instance's partitions are moving (a rebalance) or
     * MongoDB cannot be read; the caller tries again at the next interval.
     */
    public synchronized Pass run() {
        long started = System.nanoTime();
        Set<Integer> owned = new HashSet<>(stores.partitions(TickerTopology.JOBS_STORE));
        long seen = 0;
        long checked = 0;
        int repairs = 0;
        List<Owned> page = new ArrayList<>(PAGE);
        try (MongoCursor<BsonDocument> cursor = documents.withDocumentClass(BsonDocument.class).find()
                .projection(Projections.include("_id")).batchSize(PAGE).cursor()) {
            while (cursor.hasNext()) {
                BsonDocument head = cursor.next();
                seen++;
                Owned job = owned(head, owned);
                if (job != null) {
                    page.add(job);
                }
                if (page.size() == PAGE || !cursor.hasNext()) {
                    checked += page.size();
                    repairs += repairDocuments(page);
                    page.clear();
                }
            }
        }
        for (int partition : owned) {
            repairs += repairOrphans(partition);
        }
        producer.flush();
        Pass pass = new Pass(seen, checked, repairs);
        LOG.atInfo().addKeyValue("event", "reconciled").addKeyValue("documents", seen).addKeyValue("checked", checked)
                .addKeyValue("repairs", repairs)
                .log("event=reconciled documents={} checked={} repairs={} tookMs={}", seen, checked, repairs,
                        (System.nanoTime() - started) / 1_000_000);
        return pass;
    }

    /**
     * A document's job, as this instance's ticker holds it when read (before MongoDB's whole document is): null when
     * another instance owns it.
     */
    private Owned owned(BsonDocument head, Set<Integer> owned) {
        BsonValue id = head.get("_id");
        String jobId = ConnectorJson.jobId(id);
        if (jobId == null) {
            return null;
        }
        Cluster.Owner owner = cluster.owner(TickerTopology.JOBS_STORE, jobId);
        if (!owner.local() || !owned.contains(owner.partition())) {
            return null;
        }
        JobState state = this.<JobState>store(TickerTopology.JOBS_STORE, owner.partition()).get(jobId);
        JobSource source = this.<JobSource>store(TickerTopology.SOURCES_STORE, owner.partition()).get(jobId);
        return new Owned(jobId, id, state, source);
    }

    /**
     * One page of owned documents: their whole documents, read now (after the ticker's state), and a repair for each
     * the ticker holds otherwise. A document's {@code version} alone cannot tell: a job deleted and created again
     * starts again at version 1.
     */
    private int repairDocuments(List<Owned> page) {
        if (page.isEmpty()) {
            return 0;
        }
        Map<BsonValue, Owned> candidates = new HashMap<>();
        page.forEach(job -> candidates.put(job.id(), job));
        Instant readAt = clock.instant();
        Map<BsonValue, RawBsonDocument> found = new HashMap<>();
        documents.find(Filters.in("_id", candidates.keySet())).forEach(doc -> found.put(doc.get("_id"), doc));
        int repairs = 0;
        for (Owned job : candidates.values()) {
            RawBsonDocument document = found.get(job.id());
            if (document == null) {
                // deleted since the cursor passed it: a tombstone if the ticker holds the job
                if (job.state() != null) {
                    repair(Kind.ORPHAN, job.jobId(), ConnectorJson.key(job.id()), null, job.source(), readAt);
                    repairs++;
                }
                continue;
            }
            ConnectorJson.Published published = ConnectorJson.of(document);
            if (job.state() == null) {
                repair(Kind.MISSING, job.jobId(), published.key(), published.value(), job.source(), readAt);
                repairs++;
            } else if (job.source() == null || !published.fingerprint().equals(job.source().fingerprint())) {
                repair(Kind.STALE, job.jobId(), published.key(), published.value(), job.source(), readAt);
                repairs++;
            }
        }
        return repairs;
    }

    /** The partition's jobs, a page at a time (read before MongoDB), and a tombstone for each MongoDB lacks. */
    private int repairOrphans(int partition) {
        ReadOnlyKeyValueStore<String, JobState> jobs = store(TickerTopology.JOBS_STORE, partition);
        ReadOnlyKeyValueStore<String, JobSource> sources = store(TickerTopology.SOURCES_STORE, partition);
        int repairs = 0;
        String after = null;
        while (true) {
            Map<String, JobSource> page = new HashMap<>();
            List<String> ids = new ArrayList<>(PAGE);
            try (KeyValueIterator<String, JobState> it = after == null ? jobs.all() : jobs.range(after, null)) {
                while (it.hasNext() && ids.size() < PAGE) {
                    KeyValue<String, JobState> next = it.next();
                    if (!next.key.equals(after)) {
                        ids.add(next.key);
                    }
                }
            }
            if (ids.isEmpty()) {
                return repairs;
            }
            ids.forEach(id -> page.put(id, sources.get(id)));
            Instant readAt = clock.instant();
            Set<String> inMongo = new HashSet<>();
            List<BsonValue> spellings = new ArrayList<>();
            ids.forEach(id -> spellings.addAll(ConnectorJson.idsOf(id)));
            documents.withDocumentClass(BsonDocument.class).find(Filters.in("_id", spellings))
                    .projection(Projections.include("_id"))
                    .forEach(doc -> inMongo.add(ConnectorJson.jobId(doc.get("_id"))));
            for (String id : ids) {
                if (!inMongo.contains(id)) {
                    repair(Kind.ORPHAN, id, id, null, page.get(id), readAt);
                    repairs++;
                }
            }
            after = ids.get(ids.size() - 1);
        }
    }

    private void repair(Kind kind, String jobId, String key, byte[] value, JobSource source, Instant readAt) {
        long expected = source == null ? JobSource.NONE : source.position();
        producer.send(new ProducerRecord<>(jobsTopic, null, key.getBytes(StandardCharsets.UTF_8), value,
                JobRepair.headers(expected, readAt)));
        counter(kind).increment();
        String kindName = kind.name().toLowerCase(Locale.ROOT);
        LOG.atInfo().addKeyValue("event", "reconcile-repair").addKeyValue("jobId", jobId).addKeyValue("kind", kindName)
                .addKeyValue("expectedPosition", expected)
                .log("event=reconcile-repair jobId=\"{}\" kind={} expectedPosition={}", Printable.escape(jobId),
                        kindName, expected);
    }

    private Counter counter(Kind kind) {
        return Counter.builder("cronstream.reconcile.repairs")
                .description("jobs the reconciliation rewrote to the jobs topic because the ticker differed from "
                        + "MongoDB, by kind (missing, stale, orphan)")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition) {
        return stores.partition(name, partition);
    }

    /** A document this instance owns the job of, and that job's state and last applied record (null: none). */
    private record Owned(String jobId, BsonValue id, JobState state, JobSource source) {
    }
}
