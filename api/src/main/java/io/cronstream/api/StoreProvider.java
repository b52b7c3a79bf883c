package io.cronstream.api;

import java.util.List;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * This instance's part of a key-value store: Kafka Streams' interactive queries in the service,
 * a TopologyTestDriver's stores in tests. May throw Kafka Streams'
 * {@code InvalidStateStoreException} while the store is not queryable.
 */
public interface StoreProvider {

    /** The partitions of {@code store} whose active task runs here. */
    <V> ReadOnlyKeyValueStore<String, V> all(String store);

    /** The partitions of {@code store} whose active task runs here, each readable with {@link #partition}. */
    List<Integer> partitions(String store);

    /** A global store ({@code addGlobalStore}): every instance holds all of it. */
    <V> ReadOnlyKeyValueStore<String, V> global(String store);

    /** One partition of {@code store}; fails unless its active task runs here. */
    <V> ReadOnlyKeyValueStore<String, V> partition(String store, int partition);
}
