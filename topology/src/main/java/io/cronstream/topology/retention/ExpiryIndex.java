package io.cronstream.topology.retention;

import io.cronstream.schemas.RunSnapshot;
import io.cronstream.topology.TimeOrderedKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code progress-run-expiry} store: one entry per finished run, keyed by the big-endian instant at
 * which the run is removed, then the runId. That instant is the run's last change by Cronstream's clock
 * ({@code updatedAt}, not a worker's {@code completedAt}, which a worker's clock could put anywhere) plus the
 * retention, so a sweep reads only the runs that expire: its cost follows what expires, not what is stored.
 */
public final class ExpiryIndex {

    private static final byte[] PRESENT = new byte[0];

    private final KeyValueStore<Bytes, byte[]> store;
    private final Duration retention;

    public ExpiryIndex(KeyValueStore<Bytes, byte[]> store, Duration retention) {
        this.store = store;
        this.retention = retention;
    }

    /** When the run goes, if it has finished. */
    public Optional<Instant> expiresAt(RunSnapshot run) {
        return run.status().terminal() ? Optional.of(run.updatedAt().plus(retention)) : Optional.empty();
    }

    /** Keeps the index in step with a run that changed from {@code before} (null: new) to {@code after}. */
    public void update(RunSnapshot before, RunSnapshot after) {
        Optional<Instant> was = before == null ? Optional.empty() : expiresAt(before);
        Optional<Instant> is = expiresAt(after);
        if (was.equals(is)) {
            return;
        }
        was.ifPresent(at -> store.delete(TimeOrderedKeys.key(at.toEpochMilli(), after.runId())));
        is.ifPresent(at -> store.put(TimeOrderedKeys.key(at.toEpochMilli(), after.runId()), PRESENT));
    }

    public void remove(TimeOrderedKeys.Entry entry) {
        store.delete(TimeOrderedKeys.key(entry.at().toEpochMilli(), entry.id()));
    }

    /** Entries due strictly before {@code now}, earliest first, at most {@code limit}; only those are read. */
    public List<TimeOrderedKeys.Entry> passedBefore(Instant now, int limit) {
        List<TimeOrderedKeys.Entry> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = store.range(TimeOrderedKeys.prefix(Long.MIN_VALUE),
                TimeOrderedKeys.prefix(now.toEpochMilli()))) {
            while (entries.hasNext() && due.size() < limit) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                due.add(TimeOrderedKeys.decode(entry.key.get()));
            }
        }
        return due;
    }
}
