package io.cronstream.ticker;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Writes the job graph's records for jobs stored before the graph existed (a job's records are otherwise written
 * only when its definition changes), a bounded slice per punctuation so an upgrade at a million jobs never
 * outlives a transaction. Where it stands is kept in {@code ticker-jobs-by-name} under a key no job's entry can
 * have ({@link JobNames#isJob}): the last job id written, then {@link #DONE}.
 */
final class GraphBackfill {

    static final Bytes CURSOR = Bytes.wrap(new byte[] {(byte) 0xFE});
    private static final byte[] DONE = new byte[] {(byte) 0xFF};

    private final KeyValueStore<String, JobState> jobs;
    private final KeyValueStore<Bytes, byte[]> bookkeeping;
    private final ChainedJobs chained;
    private final ChainedJobs.GraphWriter out;

    GraphBackfill(KeyValueStore<String, JobState> jobs, KeyValueStore<Bytes, byte[]> bookkeeping, ChainedJobs chained,
            ChainedJobs.GraphWriter out) {
        this.jobs = jobs;
        this.bookkeeping = bookkeeping;
        this.chained = chained;
        this.out = out;
    }

    /**
     * A task that starts with no job stored (a new installation, a first load) has nothing from before the graph:
     * mark the backfill done at once, so it does not read back and rewrite every job the load is storing.
     */
    void skipIfNoJobs() {
        if (bookkeeping.get(CURSOR) != null) {
            return;
        }
        try (KeyValueIterator<String, JobState> all = jobs.all()) {
            if (!all.hasNext()) {
                bookkeeping.put(CURSOR, DONE);
            }
        }
    }

    /** Writes the records of at most {@code max} more stored jobs; nothing once every job was written. */
    void step(Instant now, int max) {
        byte[] cursor = bookkeeping.get(CURSOR); // one read per punctuation once done
        if (cursor != null && cursor.length == 1 && cursor[0] == DONE[0]) {
            return;
        }
        String after = cursor == null ? null : new String(cursor, StandardCharsets.UTF_8);
        String last = null;
        int written = 0;
        boolean done;
        try (KeyValueIterator<String, JobState> all = after == null ? jobs.all() : jobs.range(after, null)) {
            while (all.hasNext() && written < max) {
                KeyValue<String, JobState> job = all.next();
                if (job.key.equals(after)) {
                    continue;
                }
                chained.defined(null, job.value.definition(), now, out);
                last = job.key;
                written++;
            }
            done = !all.hasNext();
        }
        bookkeeping.put(CURSOR, done ? DONE : last.getBytes(StandardCharsets.UTF_8));
    }
}
