package io.cronstream.topology.stuck;

import io.cronstream.schemas.RunSnapshot;
import java.util.Objects;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code progress-stuck-index} store: runId → {@code stuckSince} epoch millis, one entry per run
 * flagged stuck now. {@code /api/v1/stuck} reads it, so the stuck list costs the stuck runs, not all runs.
 */
public final class StuckIndex {

    private final KeyValueStore<String, Long> store;

    public StuckIndex(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    /** Keeps the index in step with a run that changed from {@code before} (null: new) to {@code after} (null: removed). */
    public void update(RunSnapshot before, RunSnapshot after) {
        Long was = stuckSince(before);
        Long is = stuckSince(after);
        if (Objects.equals(was, is)) {
            return;
        }
        if (is == null) {
            store.delete(before.runId());
        } else {
            store.put(after.runId(), is);
        }
    }

    private static Long stuckSince(RunSnapshot run) {
        return run == null || !run.stuck() || run.stuckSince() == null ? null : run.stuckSince().toEpochMilli();
    }
}
