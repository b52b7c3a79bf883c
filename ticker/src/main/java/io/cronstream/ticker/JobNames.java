package io.cronstream.ticker;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code ticker-jobs-by-name} store: one entry per job, keyed by its name in lower case, a NUL and its id
 * ({@link #key}), so {@code /api/v1/jobs} pages in name order by a range scan from its cursor instead of reading
 * every job. A job's entry moves only when its name changes, not when it fires.
 */
public final class JobNames {

    private static final byte[] PRESENT = new byte[0];
    /** Set once every stored job is indexed; 0xFF never occurs in UTF-8, so no job's key is this one. */
    private static final Bytes INDEXED = Bytes.wrap(new byte[] {(byte) 0xFF});

    private final KeyValueStore<Bytes, byte[]> store;

    JobNames(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** Where a job stands in the list: lower-case name (none: empty), NUL, id, as UTF-8. */
    public static Bytes key(String name, String jobId) {
        byte[] lowerName = (name == null ? "" : name.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8);
        byte[] id = jobId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(lowerName.length + 1 + id.length).put(lowerName).put((byte) 0).put(id)
                .array());
    }

    /** The job id of an index key. */
    public static String jobId(Bytes key) {
        byte[] bytes = key.get();
        int separator = lastNul(bytes);
        return new String(bytes, separator + 1, bytes.length - separator - 1, StandardCharsets.UTF_8);
    }

    /**
     * Whether {@code key} is a job's entry, not bookkeeping: this index's own mark and {@link GraphBackfill}'s
     * cursor start with 0xFF and 0xFE, which no UTF-8 text does.
     */
    public static boolean isJob(Bytes key) {
        byte[] bytes = key.get();
        return bytes.length == 0 || (bytes[0] & 0xFF) < 0xFE;
    }

    /** The list's order: the keys' unsigned bytes, as the store orders them. */
    public static int compare(Bytes a, Bytes b) {
        return Arrays.compareUnsigned(a.get(), b.get());
    }

    /** Indexes the stored jobs once, the first time a task runs with this store (jobs kept from before it). */
    void indexOnce(KeyValueStore<String, JobState> jobs) {
        if (store.get(INDEXED) != null) {
            return;
        }
        try (KeyValueIterator<String, JobState> all = jobs.all()) {
            all.forEachRemaining(job -> store.put(keyOf(job.value), PRESENT));
        }
        store.put(INDEXED, PRESENT);
    }

    /** Keeps the index in step with a job that changed from {@code previous} (null: new) to {@code updated} (null: removed). */
    void update(JobState previous, JobState updated) {
        if (previous != null && updated != null
                && Objects.equals(previous.definition().name(), updated.definition().name())) {
            return; // a fire, a trigger, a change of anything but the name: the entry stays (the hot path)
        }
        Bytes was = previous == null ? null : keyOf(previous);
        Bytes is = updated == null ? null : keyOf(updated);
        if (was != null && !was.equals(is)) {
            store.delete(was);
        }
        if (is != null && !is.equals(was)) {
            store.put(is, PRESENT);
        }
    }

    private static Bytes keyOf(JobState job) {
        return key(job.definition().name(), job.jobId());
    }

    /** The id follows the last NUL: a name may hold NULs, an id written by the parser does not. */
    private static int lastNul(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a job-name index key");
    }
}
