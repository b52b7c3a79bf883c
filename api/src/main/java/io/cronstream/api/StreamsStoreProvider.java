package io.cronstream.api;

import io.cronstream.streams.WriteBehindStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.internals.StateStoreProvider;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/** Interactive queries on active tasks only: a standby's copy may lag, and the API never answers from it. */
public final class StreamsStoreProvider implements StoreProvider {

    private final KafkaStreams streams;
    private final HostInfo self;

    public StreamsStoreProvider(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /**
     * Every partition of {@code store} that this instance owns by the metadata the API routes by, or
     * an {@link InvalidStateStoreException}. The metadata moves first: for a moment after a rebalance
     * gives this instance a dead one's partitions, their tasks do not exist yet while the instance is
     * RUNNING, and a plain read of all partitions reads only the tasks that exist, a short list
     * answered 200.
     */
    @Override
    public <V> ReadOnlyKeyValueStore<String, V> all(String store) {
        partitions(store);
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    @Override
    public List<Integer> partitions(String store) {
        List<HostInfo> owners;
        try {
            owners = StoreOwners.of(streams, store);
        } catch (IllegalStateException | StreamsException notRunning) {
            throw new InvalidStateStoreException("Kafka Streams is " + streams.state() + ": " + notRunning.getMessage());
        }
        List<Integer> mine = new ArrayList<>();
        for (int partition = 0; partition < owners.size(); partition++) {
            if (owners.get(partition).equals(self)) {
                partition(store, partition).approximateNumEntries(); // as in all(): a missing task throws here
                mine.add(partition);
            }
        }
        return mine;
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> global(String store) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> partition(String store, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition));
    }

    /**
     * Reads the stored bytes under the serde layer: the partition's store as Kafka Streams hands it to interactive
     * queries (the same checks: active task, open, queryable), then the byte store it wraps (cache, changelog,
     * RocksDB), which is what the typed read asks before deserialising; a {@link WriteBehindStore} answers a value it
     * still holds serialised as it will be stored. Empty for a store whose stored bytes are not the value serde's
     * alone (timestamped stores prefix a timestamp).
     */
    @Override
    public Optional<RawValue> raw(String store, int partition, byte[] key) {
        List<Function<byte[], byte[]>> readers = streams.store(StoreQueryParameters.fromNameAndType(store, RAW)
                .withPartition(partition));
        if (readers.size() != 1) {
            return Optional.empty();
        }
        return Optional.of(new RawValue(readers.get(0).apply(key)));
    }

    /** Readers of the bytes under the typed stores, or none where that is not a plain key-value store. */
    private static final QueryableStoreType<List<Function<byte[], byte[]>>> RAW = new QueryableStoreType<>() {
        @Override
        public boolean accepts(StateStore store) {
            return store instanceof KeyValueStore<?, ?> && !(store instanceof TimestampedKeyValueStore<?, ?>);
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<Function<byte[], byte[]>> create(StateStoreProvider provider, String storeName) {
            List<Function<byte[], byte[]>> readers = new ArrayList<>();
            // the provider hands out the stores this type accepted, as they are (typed by T only on paper)
            for (Object store : provider.stores(storeName, this)) {
                if (store instanceof WriteBehindStore<?, ?> behind) {
                    // keys of the stores the API reads raw are strings
                    WriteBehindStore<String, ?> byString = (WriteBehindStore<String, ?>) behind;
                    readers.add(key -> byString.getBytes(new String(key, StandardCharsets.UTF_8)));
                    continue;
                }
                if (!(store instanceof WrappedStateStore<?, ?, ?> typed)
                        || !(typed.wrapped() instanceof KeyValueStore<?, ?> inner)
                        || inner instanceof TimestampedBytesStore) {
                    return List.of();
                }
                KeyValueStore<Bytes, byte[]> bytes = (KeyValueStore<Bytes, byte[]>) inner;
                readers.add(key -> bytes.get(Bytes.wrap(key)));
            }
            return readers;
        }
    };
}
