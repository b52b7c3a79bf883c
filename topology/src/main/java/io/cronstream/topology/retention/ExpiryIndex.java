package io.cronstream.topology.retention;

import io.cronstream.schemas.RunSnapshot;
import io.cronstream.streams.TimeIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code progress-run-expiry} store, a {@link TimeIndex}: one entry per finished run, at the instant
 * it is removed. That instant is the run's last change by Cronstream's clock
 * ({@code updatedAt}, not a worker's {@code completedAt}, which a worker's clock could put anywhere) plus the
 * retention, so a sweep reads only the runs that expire: its cost follows what expires, not what is stored.
 */
public final class ExpiryIndex {

    private final TimeIndex index;
    private final Duration retention;

    public ExpiryIndex(KeyValueStore<Bytes, byte[]> store, Duration retention) {
        this.index = new TimeIndex(store);
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
        was.ifPresent(at -> index.remove(at, after.runId()));
        is.ifPresent(at -> index.put(at, after.runId()));
    }

    public void remove(TimeIndex.Entry entry) {
        index.remove(entry.at(), entry.id());
    }

    /** Entries due strictly before {@code now}, earliest first, at most {@code limit}; only those are read. */
    public List<TimeIndex.Entry> passedBefore(Instant now, int limit) {
        return index.before(now, limit);
    }
}
