package io.cronstream.api;

import java.util.List;
import java.util.Optional;
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

    /**
     * The value of {@code key} in one partition of {@code store} as it is stored (the bytes its value serde wrote),
     * without deserialising it: empty when this provider cannot read stored bytes (then read typed values),
     * otherwise a holder of the bytes, or of null when the key is not there. Fails like {@link #partition}.
     */
    default Optional<RawValue> raw(String store, int partition, byte[] key) {
        return Optional.empty();
    }

    /** A stored value as bytes; {@code bytes} null when there is none. */
    record RawValue(byte[] bytes) {
    }
}
