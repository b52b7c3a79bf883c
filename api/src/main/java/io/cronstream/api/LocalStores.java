package io.cronstream.api;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.LibraryChangeSet;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.streams.TimeIndex;
import io.cronstream.ticker.JobGraph;
import io.cronstream.ticker.JobNames;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.JobState;
import io.cronstream.topology.alerts.RecentAlerts;
import io.cronstream.topology.libraries.LibraryChangeSets;
import io.cronstream.topology.runs.RecentRuns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Typed reads of this instance's stores; a store that is not queryable right now becomes a 503. */
public final class LocalStores {

    private final StoreProvider provider;

    public LocalStores(StoreProvider provider) {
        this.provider = provider;
    }

    /**
     * A stored job as the API shows it: a job whose {@code after} names an unknown job or closes a cycle is
     * {@code valid: false} with the reason (the ticker refuses to fire it for the same reason), read from the job
     * graph every instance holds; the graph is read only for jobs chained after others.
     */
    public JobView view(JobState state) {
        JobDefinition definition = state.definition();
        if (!definition.valid() || definition.after().isEmpty()) {
            return JobView.of(state);
        }
        Optional<String> problem;
        try {
            problem = new JobGraph(provider.<String>global(StoreNames.JOB_GRAPH))
                    .problem(definition.jobId(), definition.after());
        } catch (InvalidStateStoreException e) {
            throw notQueryable(StoreNames.JOB_GRAPH, e);
        }
        return problem.map(why -> JobView.of(state, definition.invalid(why))).orElseGet(() -> JobView.of(state));
    }

    public <V> Optional<V> get(String store, String key, int partition) {
        try {
            ReadOnlyKeyValueStore<String, V> part = provider.partition(store, partition);
            return Optional.ofNullable(part.get(key));
        } catch (InvalidStateStoreException e) {
            throw notQueryable(store, e);
        }
    }

    /** {@link StoreProvider#raw}: the stored bytes of {@code key}, or empty where they cannot be read as such. */
    public Optional<StoreProvider.RawValue> raw(String store, String key, int partition) {
        try {
            return provider.raw(store, partition, key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (InvalidStateStoreException e) {
            throw notQueryable(store, e);
        }
    }

    /**
     * This instance's stuck runs after {@code (afterMillis, afterRunId)} (null: from the start), longest stall
     * first, at most {@code limit}: read from the stuck index, so only stuck runs are touched, and only the
     * ones returned are fetched.
     */
    public List<RunSnapshot> stuckRuns(Long afterMillis, String afterRunId, int limit) {
        List<KeyValue<String, Long>> stuck = new ArrayList<>();
        try (KeyValueIterator<String, Long> entries = provider.<Long>all(StoreNames.STUCK_INDEX).all()) {
            entries.forEachRemaining(entry -> {
                if (afterMillis == null || entry.value > afterMillis
                        || entry.value.equals(afterMillis) && entry.key.compareTo(afterRunId) > 0) {
                    stuck.add(entry);
                }
            });
        } catch (InvalidStateStoreException e) {
            throw notQueryable(StoreNames.STUCK_INDEX, e);
        }
        stuck.sort(Comparator.<KeyValue<String, Long>, Long>comparing(entry -> entry.value)
                .thenComparing(entry -> entry.key));
        List<RunSnapshot> runs = new ArrayList<>();
        try {
            ReadOnlyKeyValueStore<String, RunSnapshot> all = provider.all(StoreNames.RUNS);
            for (KeyValue<String, Long> entry : stuck.subList(0, Math.min(limit, stuck.size()))) {
                RunSnapshot run = all.get(entry.key);
                if (run != null && run.stuck()) {
                    runs.add(run);
                }
            }
        } catch (InvalidStateStoreException e) {
            throw notQueryable(StoreNames.RUNS, e);
        }
        return runs;
    }

    /**
     * This instance's runs that pass {@code filter}, newest change first ({@link RecentRuns}), starting after
     * {@code after} (null: the newest): at most {@code limit} from each partition, read from the
     * {@code progress-runs-by-update} index, so a page reads the entries up to its last item, not every run.
     */
    public void recentRuns(TimeIndex.Entry after, Predicate<RunSnapshot> filter, int limit,
            Consumer<RunSnapshot> sink) {
        eachPartition(StoreNames.RUNS, partition -> {
            ReadOnlyKeyValueStore<String, RunSnapshot> runs = provider.partition(StoreNames.RUNS, partition);
            ReadOnlyKeyValueStore<Bytes, byte[]> index = bytesKeyed(provider.partition(StoreNames.RUNS_BY_UPDATE, partition));
            int[] handed = {0};
            TimeIndex.newestFirst(index, after, entry -> {
                RunSnapshot run = runs.get(entry.id());
                // an entry the run has moved on from (read between the two writes) is not its place
                if (run != null && RecentRuns.at(run).equals(entry.at()) && filter.test(run)) {
                    sink.accept(run);
                    handed[0]++;
                }
                return handed[0] < limit;
            });
        });
    }

    /**
     * This instance's alerts that pass {@code filter}, newest first ({@link RecentAlerts}), starting after
     * {@code after} (null: the newest): at most {@code limit} from each partition, by a reverse range scan of
     * {@code alerts-recent}, so a page reads the entries up to its last item (and, with a filter, the ones it skips).
     */
    public void recentAlerts(RecentAlerts.Place after, Predicate<Alert> filter, int limit, Consumer<Alert> sink) {
        eachPartition(StoreNames.ALERTS, partition -> {
            ReadOnlyKeyValueStore<Bytes, Alert> alerts = alertsKeyed(provider.partition(StoreNames.ALERTS, partition));
            int[] handed = {0};
            RecentAlerts.newestFirst(alerts, after, alert -> {
                if (filter.test(alert)) {
                    sink.accept(alert);
                    handed[0]++;
                }
                return handed[0] < limit;
            });
        });
    }

    /** The provider types every store by String keys; the alerts store's keys are bytes. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ReadOnlyKeyValueStore<Bytes, Alert> alertsKeyed(ReadOnlyKeyValueStore store) {
        return store;
    }

    /**
     * This instance's jobs in name order ({@link JobNames}), starting after {@code after} (null: the first): at
     * most {@code limit} from each partition, read from the {@code ticker-jobs-by-name} index.
     */
    public void jobsByName(Bytes after, int limit, Consumer<JobState> sink) {
        eachPartition(StoreNames.JOBS, partition -> {
            ReadOnlyKeyValueStore<String, JobState> jobs = provider.partition(StoreNames.JOBS, partition);
            takeAfter(bytesKeyed(provider.partition(StoreNames.JOB_NAMES, partition)), after, limit, (key, none) -> {
                JobState job = JobNames.isJob(key) ? jobs.get(JobNames.jobId(key)) : null;
                // an entry the job has moved on from (read between the two writes) is not its place
                if (job == null || !JobNames.key(job.definition().name(), job.jobId()).equals(key)) {
                    return false;
                }
                sink.accept(job);
                return true;
            });
        });
    }

    /**
     * This instance's entries of {@code store} in key order (the keys' UTF-8 bytes), starting after {@code after}
     * (null: the first): at most {@code limit} from each partition, by a range scan.
     */
    public <V> void fromKey(String store, String after, int limit, Consumer<V> sink) {
        eachPartition(store, partition -> takeAfter(provider.<V>partition(store, partition), after, limit,
                (key, value) -> {
                    if (value == null) {
                        return false;
                    }
                    sink.accept(value);
                    return true;
                }));
    }

    /** Reads each partition of {@code store} whose active task runs here; a store not queryable now is a 503. */
    private void eachPartition(String store, IntConsumer read) {
        try {
            for (int partition : provider.partitions(store)) {
                read.accept(partition);
            }
        } catch (InvalidStateStoreException e) {
            throw notQueryable(store, e);
        }
    }

    /**
     * Offers the entries after {@code after} (null: from the first) in key order to {@code take}, which says
     * whether it took one, until it has taken {@code limit}: only the entries offered are read.
     */
    private static <K, V> void takeAfter(ReadOnlyKeyValueStore<K, V> store, K after, int limit,
            BiPredicate<K, V> take) {
        try (KeyValueIterator<K, V> entries = after == null ? store.all() : store.range(after, null)) {
            int taken = 0;
            while (taken < limit && entries.hasNext()) {
                KeyValue<K, V> entry = entries.next();
                if (!entry.key.equals(after) && take.test(entry.key, entry.value)) {
                    taken++;
                }
            }
        }
    }

    /** The provider types every store by String keys; an index's keys are bytes. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ReadOnlyKeyValueStore<Bytes, byte[]> bytesKeyed(ReadOnlyKeyValueStore store) {
        return store;
    }

    /** Each key's values summed over this instance's partitions of {@code store}: for small stores of counts. */
    public Map<String, Long> sums(String store) {
        Map<String, Long> sums = new HashMap<>();
        try (KeyValueIterator<String, Long> entries = provider.<Long>all(store).all()) {
            entries.forEachRemaining(entry -> {
                if (entry.value != null) {
                    sums.merge(entry.key, entry.value, Long::sum);
                }
            });
        } catch (InvalidStateStoreException e) {
            throw notQueryable(store, e);
        }
        return sums;
    }

    /**
     * A library's change set: its summary and up to {@code maxPaths} pending paths after {@code afterPath} (null:
     * from the first), both from one partition.
     */
    public Optional<LibraryChangeSet> library(String libraryId, int partition, String afterPath, int maxPaths) {
        try {
            return LibraryChangeSets.read(provider.partition(StoreNames.LIBRARIES, partition),
                    provider.partition(StoreNames.LIBRARY_PENDING, partition), libraryId, afterPath, maxPaths);
        } catch (InvalidStateStoreException e) {
            throw notQueryable(StoreNames.LIBRARIES, e);
        }
    }

    /** Whether {@code store} answers queries here now (readiness). */
    public boolean queryable(String store) {
        try {
            provider.all(store).approximateNumEntries();
            return true;
        } catch (InvalidStateStoreException e) {
            return false;
        }
    }

    private static ApiException notQueryable(String store, InvalidStateStoreException e) {
        return ApiException.unavailable("store " + store + " is not queryable right now (rebalancing or starting)");
    }
}
