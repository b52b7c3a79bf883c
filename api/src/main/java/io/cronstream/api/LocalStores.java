package io.cronstream.api;

import io.cronstream.schemas.LibraryChangeSet;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.streams.TimeIndex;
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

    /** Hands every value of this instance's part of {@code store} that passes {@code filter} on, holding none. */
    public <V> void forEach(String store, Predicate<? super V> filter, Consumer<? super V> sink) {
        try (KeyValueIterator<String, V> entries = provider.<V>all(store).all()) {
            while (entries.hasNext()) {
                KeyValue<String, V> entry = entries.next();
                if (entry.value != null && filter.test(entry.value)) {
                    sink.accept(entry.value);
                }
            }
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

    /** A library's change set: its summary and up to {@code maxPaths} pending paths, both from one partition. */
    public Optional<LibraryChangeSet> library(String libraryId, int partition, int maxPaths) {
        try {
            return LibraryChangeSets.read(provider.partition(StoreNames.LIBRARIES, partition),
                    provider.partition(StoreNames.LIBRARY_PENDING, partition), libraryId, maxPaths);
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
