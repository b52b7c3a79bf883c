package io.cronstream.topology.stuck;

import io.cronstream.schemas.RunSnapshot;
import io.cronstream.topology.TimeOrderedKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code progress-run-activity} store: one entry per watched run, keyed by the big-endian instant at
 * which the run's silence becomes too long, then the runId. That instant is the last activity shifted by
 * the run's own threshold ({@code lastActivityAt + stuckAfter}, or {@code + failAfter} once stuck), so
 * runs with different thresholds sort together and a scan reads exactly the stale ones: O(stuck), not
 * O(runs). Finished runs and stuck runs that can no longer fail have no entry.
 */
public final class ActivityIndex {

    /** An entry: this run is due for a look at this instant. */
    public record Entry(Instant deadline, String runId) {
    }

    private static final byte[] PRESENT = new byte[0];

    private final KeyValueStore<Bytes, byte[]> store;

    public ActivityIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** When the run needs a look, if it is watched at all. */
    public static Optional<Instant> deadline(RunSnapshot run) {
        if (run.status().terminal()) {
            return Optional.empty();
        }
        if (!run.stuck()) {
            return Optional.of(run.lastActivityAt().plus(run.stuckAfter()));
        }
        return Optional.ofNullable(run.failAfter()).map(run.lastActivityAt()::plus);
    }

    /** Keeps the index in step with a run that changed from {@code before} (null: new) to {@code after}. */
    public void update(RunSnapshot before, RunSnapshot after) {
        Optional<Instant> was = before == null ? Optional.empty() : deadline(before);
        Optional<Instant> is = deadline(after);
        if (was.equals(is)) {
            return;
        }
        was.ifPresent(deadline -> store.delete(key(deadline.toEpochMilli(), after.runId())));
        is.ifPresent(deadline -> store.put(key(deadline.toEpochMilli(), after.runId()), PRESENT));
    }

    public void remove(Entry entry) {
        store.delete(key(entry.deadline().toEpochMilli(), entry.runId()));
    }

    /**
     * Entries whose deadline has passed (strictly before {@code now}: a run is stuck after a silence
     * <em>longer</em> than its threshold), earliest first, at most {@code limit}. Only those are read: the
     * range ends at the bare 8-byte prefix of {@code now}, which sorts before every key carrying that instant.
     */
    public List<Entry> passedBefore(Instant now, int limit) {
        List<Entry> due = new ArrayList<>();
        Bytes from = Bytes.wrap(prefix(Long.MIN_VALUE));
        Bytes to = Bytes.wrap(prefix(now.toEpochMilli()));
        try (KeyValueIterator<Bytes, byte[]> entries = store.range(from, to)) {
            while (entries.hasNext() && due.size() < limit) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                due.add(decode(entry.key.get()));
            }
        }
        return due;
    }

    static Bytes key(long millis, String runId) {
        return TimeOrderedKeys.key(millis, runId);
    }

    private static byte[] prefix(long millis) {
        return TimeOrderedKeys.prefix(millis).get();
    }

    private static Entry decode(byte[] key) {
        TimeOrderedKeys.Entry entry = TimeOrderedKeys.decode(key);
        return new Entry(entry.at(), entry.id());
    }
}
