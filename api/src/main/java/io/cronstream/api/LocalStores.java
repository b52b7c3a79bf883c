package io.cronstream.api;

import io.cronstream.schemas.LibraryChangeSet;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.streams.TimeIndex;
import io.cronstream.ticker.JobNames;
import io.cronstream.ticker.JobState;
import io.cronstream.topology.libraries.LibraryChangeSets;
import io.cronstream.topology.runs.RecentRuns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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

    public <V> Optional<V> get(String store, String key, int partition) {
        try {
            ReadOnlyKeyValueStore<String, V> part = provider.partition(store, partition);
            return Optional.ofNullable(part.get(key));
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
        try {
            for (int partition : provider.partitions(StoreNames.RUNS)) {
                ReadOnlyKeyValueStore<String, RunSnapshot> runs = provider.partition(StoreNames.RUNS, partition);
                int[] handed = {0};
                TimeIndex.newestFirst(bytesKeyed(provider.partition(StoreNames.RUNS_BY_UPDATE, partition)), after,
                        entry -> {
                            RunSnapshot run = runs.get(entry.id());
                            // an entry the run has moved on from (read between the two writes) is not its place
                            if (run != null && RecentRuns.at(run).equals(entry.at()) && filter.test(run)) {
                                sink.accept(run);
                                handed[0]++;
                            }
                            return handed[0] < limit;
                        });
            }
        } catch (InvalidStateStoreException e) {
            throw notQueryable(StoreNames.RUNS, e);
        }
    }

    /**
     * This instance's jobs in name order ({@link JobNames}), starting after {@code after} (null: the first): at
     * most {@code limit} from each partition, read from the {@code ticker-jobs-by-name} index.
     */
    public void jobsByName(Bytes after, int limit, Consumer<JobState> sink) {
        try {
            for (int partition : provider.partitions(StoreNames.JOBS)) {
                ReadOnlyKeyValueStore<String, JobState> jobs = provider.partition(StoreNames.JOBS, partition);
                ReadOnlyKeyValueStore<Bytes, byte[]> names = bytesKeyed(provider.partition(StoreNames.JOB_NAMES, partition));
                int handed = 0;
                try (KeyValueIterator<Bytes, byte[]> entries = after == null ? names.all() : names.range(after, null)) {
                    while (handed < limit && entries.hasNext()) {
                        Bytes key = entries.next().key;
                        if (key.equals(after) || !JobNames.isJob(key)) {
                            continue;
                        }
                        JobState job = jobs.get(JobNames.jobId(key));
                        // an entry the job has moved on from (read between the two writes) is not its place
                        if (job != null && JobNames.key(job.definition().name(), job.jobId()).equals(key)) {
                            sink.accept(job);
                            handed++;
                        }
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            throw notQueryable(StoreNames.JOBS, e);
        }
    }

    /**
     * This instance's entries of {@code store} in key order (the keys' UTF-8 bytes), starting after {@code after}
     * (null: the first): at most {@code limit} from each partition, by a range scan.
     */
    public <V> void fromKey(String store, String after, int limit, Consumer<V> sink) {
        try {
            for (int partition : provider.partitions(store)) {
                ReadOnlyKeyValueStore<String, V> part = provider.partition(store, partition);
                int handed = 0;
                try (KeyValueIterator<String, V> entries = after == null ? part.all() : part.range(after, null)) {
                    while (handed < limit && entries.hasNext()) {
                        KeyValue<String, V> entry = entries.next();
                        if (!entry.key.equals(after) && entry.value != null) {
                            sink.accept(entry.value);
                            handed++;
                        }
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            throw notQueryable(store, e);
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
