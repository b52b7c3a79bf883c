package io.cronstream.topology.runs;

import io.cronstream.schemas.RunSnapshot;
import io.cronstream.streams.TimeIndex;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code progress-runs-by-update} store, a {@link TimeIndex}: one entry per stored run at its last change
 * ({@code updatedAt}) to the second, so {@code /api/v1/runs} reads a page newest first by a range scan from its
 * cursor instead of every run. To the second, because a busy run changes many times a second and moving its
 * entry each time would double the writes of the progress fold; the list's order is the index's.
 */
public final class RecentRuns {

    private final TimeIndex index;

    public RecentRuns(KeyValueStore<Bytes, byte[]> store) {
        this.index = new TimeIndex(store);
    }

    /** Where a run stands in the list. */
    public static Instant at(RunSnapshot run) {
        return run.updatedAt().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Keeps the index in step with a run that changed from {@code before} (null: new) to {@code after} (null: removed). */
    public void update(RunSnapshot before, RunSnapshot after) {
        Instant was = before == null ? null : at(before);
        Instant is = after == null ? null : at(after);
        if (Objects.equals(was, is)) {
            return;
        }
        if (was != null) {
            index.remove(was, before.runId());
        }
        if (is != null) {
            index.put(is, after.runId());
        }
    }
}
