package io.cronstream.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A time-ordered index over a byte store: one entry per (instant, id), keyed by the instant's
 * big-endian millis then the id's UTF-8 bytes, so "everything up to now" is one range scan that reads
 * only what it returns: O(due), not O(stored). The ticker's schedule and the stuck scan's activity
 * index are both this.
 */
public final class TimeIndex {

    /** An id and the instant it is indexed at. */
    public record Entry(Instant at, String id) {
    }

    private static final byte[] PRESENT = new byte[0];

    private final KeyValueStore<Bytes, byte[]> store;

    public TimeIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    public void put(Instant at, String id) {
        store.put(key(at, id), PRESENT);
    }

    public void remove(Instant at, String id) {
        store.delete(key(at, id));
    }

    /** Entries at or before {@code now}, earliest first, at most {@code limit}. */
    public List<Entry> atOrBefore(Instant now, int limit) {
        return upTo(now.toEpochMilli() + 1, limit);
    }

    /** Entries strictly before {@code now}, earliest first, at most {@code limit}. */
    public List<Entry> before(Instant now, int limit) {
        return upTo(now.toEpochMilli(), limit);
    }

    /** Reads entries below the bare 8-byte prefix of {@code endMillis}, which sorts before every key carrying that instant. */
    private List<Entry> upTo(long endMillis, int limit) {
        List<Entry> entries = new ArrayList<>();
        Bytes from = Bytes.wrap(prefix(Long.MIN_VALUE));
        Bytes to = Bytes.wrap(prefix(endMillis));
        try (KeyValueIterator<Bytes, byte[]> it = store.range(from, to)) {
            while (it.hasNext() && entries.size() < limit) {
                KeyValue<Bytes, byte[]> next = it.next();
                entries.add(decode(next.key.get()));
            }
        }
        return entries;
    }

    /**
     * Hands the entries of an index read from outside its processor (an interactive query) to {@code visitor},
     * newest first (latest instant, then the greatest id), starting strictly after {@code after} (null: the
     * newest), until the visitor answers false: only the entries visited are read.
     */
    public static void newestFirst(ReadOnlyKeyValueStore<Bytes, byte[]> store, Entry after, Predicate<Entry> visitor) {
        try (KeyValueIterator<Bytes, byte[]> it = after == null ? store.reverseAll()
                : store.reverseRange(Bytes.wrap(prefix(Long.MIN_VALUE)), key(after.at(), after.id()))) {
            while (it.hasNext()) {
                Entry entry = decode(it.next().key.get());
                if (!entry.equals(after) && !visitor.test(entry)) {
                    return;
                }
            }
        }
    }

    static Bytes key(Instant at, String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + bytes.length).put(prefix(at.toEpochMilli())).put(bytes).array());
    }

    private static byte[] prefix(long millis) {
        // Flipping the sign bit makes unsigned byte order equal to signed numeric order.
        return ByteBuffer.allocate(Long.BYTES).putLong(millis ^ Long.MIN_VALUE).array();
    }

    private static Entry decode(byte[] key) {
        long millis = ByteBuffer.wrap(key, 0, Long.BYTES).getLong() ^ Long.MIN_VALUE;
        return new Entry(Instant.ofEpochMilli(millis),
                new String(key, Long.BYTES, key.length - Long.BYTES, StandardCharsets.UTF_8));
    }
}
