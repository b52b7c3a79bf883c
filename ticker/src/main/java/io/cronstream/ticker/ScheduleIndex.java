package io.cronstream.ticker;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code ticker-schedule}: one entry per job that has a next fire time, keyed by that time then
 * the job id, so "what is due" is a range scan that reads only due entries: O(due), not O(jobs).
 * Flipping the sign bit makes the big-endian bytes of any millisecond value sort like the value.
 */
final class ScheduleIndex {

    private static final byte[] PRESENT = new byte[0];

    private final KeyValueStore<Bytes, byte[]> store;

    ScheduleIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    record Entry(Instant dueAt, String jobId) {
    }

    void add(Instant dueAt, String jobId) {
        store.put(key(dueAt, jobId), PRESENT);
    }

    void remove(Instant dueAt, String jobId) {
        store.delete(key(dueAt, jobId));
    }

    /** Entries due at or before {@code now}, oldest first, at most {@code limit}: exactly what it reads. */
    List<Entry> due(Instant now, int limit) {
        List<Entry> due = new ArrayList<>();
        Bytes from = Bytes.wrap(timePrefix(Long.MIN_VALUE));
        Bytes to = Bytes.wrap(timePrefix(now.toEpochMilli() + 1));
        try (KeyValueIterator<Bytes, byte[]> it = store.range(from, to)) {
            while (it.hasNext() && due.size() < limit) {
                KeyValue<Bytes, byte[]> next = it.next();
                due.add(decode(next.key.get()));
            }
        }
        return due;
    }

    static Bytes key(Instant dueAt, String jobId) {
        byte[] id = jobId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + id.length)
                .putLong(dueAt.toEpochMilli() ^ Long.MIN_VALUE).put(id).array());
    }

    private static byte[] timePrefix(long millis) {
        return ByteBuffer.allocate(Long.BYTES).putLong(millis ^ Long.MIN_VALUE).array();
    }

    private static Entry decode(byte[] key) {
        long millis = ByteBuffer.wrap(key, 0, Long.BYTES).getLong() ^ Long.MIN_VALUE;
        String jobId = new String(Arrays.copyOfRange(key, Long.BYTES, key.length), StandardCharsets.UTF_8);
        return new Entry(Instant.ofEpochMilli(millis), jobId);
    }
}
