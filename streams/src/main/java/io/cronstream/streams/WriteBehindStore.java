package io.cronstream.streams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A key-value store that keeps what its task puts as objects until the task commits, and then writes each key's last
 * value once to the store beneath (serialised, cached, changelogged). A value a busy task rewrites many times between
 * two commits (a run, once per worker event) is serialised once per commit instead of once per put.
 *
 * <p>Nothing is lost to it: Kafka Streams flushes every store of a task before it commits the task's transaction
 * ({@link #flushCache()}, {@link #commit(Map)}), and this store writes what it holds there, so the changelog and the
 * transaction hold the same as without it. A task closed without a commit (a crash, an aborted transaction) drops
 * what was held, as the record cache beneath does, and is restored from its changelog. Reads (the task's and
 * interactive queries') see the held values first. Deletes go straight through.
 */
public final class WriteBehindStore<K, V> extends WrappedStateStore<KeyValueStore<K, V>, K, V>
        implements KeyValueStore<K, V> {

    /** Held values, at most; beyond that the store writes them down before the commit. */
    static final int MAX_HELD = 10_000;

    private final Serializer<K> keys;
    private final Serializer<V> values;
    private final Map<K, V> held = new ConcurrentHashMap<>();
    private final Comparator<K> byStoredKey;

    WriteBehindStore(KeyValueStore<K, V> wrapped, Serializer<K> keys, Serializer<V> values) {
        super(wrapped);
        this.keys = keys;
        this.values = values;
        // the order the store beneath keeps: its keys' bytes, compared unsigned
        this.byStoredKey = Comparator.comparing(key -> Bytes.wrap(keys.serialize(name(), key)));
    }

    /** {@code inner}, with every put held until the commit. */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> builder(StoreBuilder<KeyValueStore<K, V>> inner,
            Serializer<K> keys, Serializer<V> values) {
        return new Builder<>(inner, keys, values);
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        held.clear();
        super.init(context, root);
    }

    @Override
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        if (value == null) {
            delete(key);
            return;
        }
        held.put(key, value);
        if (held.size() > MAX_HELD) {
            writeDown();
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(K key) {
        V wasHeld = held.remove(key);
        V stored = wrapped().delete(key);
        return wasHeld != null ? wasHeld : stored;
    }

    @Override
    public V get(K key) {
        V value = held.get(key);
        return value != null ? value : wrapped().get(key);
    }

    /**
     * The bytes stored for {@code key} as the store beneath keeps them (a held value serialised as it will be),
     * or null: for answers served as stored, without a round trip through the value's type.
     */
    @SuppressWarnings("unchecked")
    public byte[] getBytes(K key) {
        V value = held.get(key);
        if (value != null) {
            return values.serialize(name(), value);
        }
        // beneath the typed (metered) layer: the cache, the changelog, the store
        KeyValueStore<Bytes, byte[]> bytes = (KeyValueStore<Bytes, byte[]>) ((WrappedStateStore<?, ?, ?>) wrapped())
                .wrapped();
        return bytes.get(Bytes.wrap(keys.serialize(name(), key)));
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return merged(wrapped().range(from, to), key -> within(key, from, to), false);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return merged(wrapped().reverseRange(from, to), key -> within(key, from, to), true);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return merged(wrapped().all(), key -> true, false);
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return merged(wrapped().reverseAll(), key -> true, true);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixSerializer) {
        Bytes start = Bytes.wrap(prefixSerializer.serialize(name(), prefix));
        return merged(wrapped().prefixScan(prefix, prefixSerializer), key -> {
            byte[] stored = keys.serialize(name(), key);
            return stored.length >= start.get().length
                    && Arrays.equals(stored, 0, start.get().length, start.get(), 0, start.get().length);
        }, false);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries() + held.size();
    }

    @Override
    public void flushCache() {
        writeDown();
        super.flushCache();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        if (!held.isEmpty()) { // Kafka Streams flushes the caches first; should it not, the cache must still see these
            writeDown();
            super.flushCache();
        }
        super.commit(changelogOffsets);
    }

    @Override
    public void clearCache() {
        held.clear();
        super.clearCache();
    }

    @Override
    public void close() {
        held.clear(); // not committed: the changelog has what was
        super.close();
    }

    /** Writes every held value to the store beneath; a reader meanwhile sees it held, then stored. */
    private void writeDown() {
        for (Map.Entry<K, V> entry : new ArrayList<>(held.entrySet())) {
            wrapped().put(entry.getKey(), entry.getValue());
            held.remove(entry.getKey(), entry.getValue());
        }
    }

    private boolean within(K key, K from, K to) {
        return (from == null || byStoredKey.compare(key, from) >= 0) && (to == null || byStoredKey.compare(key, to) <= 0);
    }

    /**
     * The store's entries with the held values in their place (and held keys the store does not have yet). Entries
     * without a value are left out: Kafka Streams' cache hands out a key deleted in this transaction with a null
     * value from its reverse iterators.
     */
    private KeyValueIterator<K, V> merged(KeyValueIterator<K, V> stored, Predicate<K> wanted, boolean reverse) {
        Comparator<K> order = reverse ? byStoredKey.reversed() : byStoredKey;
        List<KeyValue<K, V>> pending = new ArrayList<>();
        held.forEach((key, value) -> {
            if (wanted.test(key)) {
                pending.add(KeyValue.pair(key, value));
            }
        });
        pending.sort((a, b) -> order.compare(a.key, b.key));
        return new Merged<>(stored, pending, order);
    }

    /** Two ordered sequences as one; on the same key the held value wins. */
    private static final class Merged<K, V> implements KeyValueIterator<K, V> {
        private final KeyValueIterator<K, V> stored;
        private final List<KeyValue<K, V>> held;
        private final Comparator<K> order;
        private int nextHeld;
        private KeyValue<K, V> nextStored;

        Merged(KeyValueIterator<K, V> stored, List<KeyValue<K, V>> held, Comparator<K> order) {
            this.stored = stored;
            this.held = held;
            this.order = order;
            advanceStored();
        }

        private void advanceStored() {
            nextStored = null;
            while (nextStored == null && stored.hasNext()) {
                KeyValue<K, V> entry = stored.next();
                if (entry.value != null) {
                    nextStored = entry;
                }
            }
        }

        @Override
        public boolean hasNext() {
            return nextHeld < held.size() || nextStored != null;
        }

        @Override
        public KeyValue<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            KeyValue<K, V> candidate = nextHeld < held.size() ? held.get(nextHeld) : null;
            int compared = candidate == null ? -1 : nextStored == null ? 1 : order.compare(nextStored.key, candidate.key);
            if (compared < 0) {
                KeyValue<K, V> entry = nextStored;
                advanceStored();
                return entry;
            }
            if (compared == 0) {
                advanceStored(); // superseded by the held value
            }
            nextHeld++;
            return candidate;
        }

        @Override
        public K peekNextKey() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            KeyValue<K, V> candidate = nextHeld < held.size() ? held.get(nextHeld) : null;
            if (candidate == null || (nextStored != null && order.compare(nextStored.key, candidate.key) < 0)) {
                return nextStored.key;
            }
            return candidate.key;
        }

        @Override
        public void close() {
            stored.close();
        }
    }

    private static final class Builder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {
        private final StoreBuilder<KeyValueStore<K, V>> inner;
        private final Serializer<K> keys;
        private final Serializer<V> values;

        Builder(StoreBuilder<KeyValueStore<K, V>> inner, Serializer<K> keys, Serializer<V> values) {
            this.inner = inner;
            this.keys = keys;
            this.values = values;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
            inner.withCachingEnabled();
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
            inner.withCachingDisabled();
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
            inner.withLoggingDisabled();
            return this;
        }

        @Override
        public KeyValueStore<K, V> build() {
            return new WriteBehindStore<>(inner.build(), keys, values);
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
