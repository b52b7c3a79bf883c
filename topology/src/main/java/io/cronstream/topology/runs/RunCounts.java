package io.cronstream.topology.runs;

import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code progress-run-counts} store: per partition, how many stored runs have each status (key: the
 * status name) and how many are stuck (key {@value #STUCK}), kept in step with every change, so
 * {@code /metrics} reads a few numbers per partition instead of every run.
 */
public final class RunCounts {

    public static final String STUCK = "stuck";
    /** Set once the counts cover every stored run; a store from before the counts existed is counted once. */
    private static final String COUNTED = "counted";

    private final KeyValueStore<String, Long> store;

    RunCounts(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    /**
     * Counts the stored runs once, the first time a task runs with this store (runs kept from before it),
     * handing each to {@code alsoIndex} so indexes born with the counts catch up in the same pass.
     */
    void countOnce(KeyValueStore<String, RunSnapshot> runs, Consumer<RunSnapshot> alsoIndex) {
        if (store.get(COUNTED) != null) {
            return;
        }
        try (KeyValueIterator<String, RunSnapshot> all = runs.all()) {
            while (all.hasNext()) {
                KeyValue<String, RunSnapshot> run = all.next();
                update(null, run.value);
                alsoIndex.accept(run.value);
            }
        }
        store.put(COUNTED, 1L);
    }

    /** A run changed from {@code before} (null: new) to {@code after} (null: removed). */
    void update(RunSnapshot before, RunSnapshot after) {
        RunStatus was = before == null ? null : before.status();
        RunStatus is = after == null ? null : after.status();
        if (was != is) {
            add(was, -1);
            add(is, 1);
        }
        boolean wasStuck = before != null && before.stuck();
        boolean isStuck = after != null && after.stuck();
        if (wasStuck != isStuck) {
            add(STUCK, isStuck ? 1 : -1);
        }
    }

    private void add(RunStatus status, long delta) {
        if (status != null) {
            add(status.name(), delta);
        }
    }

    private void add(String key, long delta) {
        Long count = store.get(key);
        store.put(key, (count == null ? 0 : count) + delta);
    }
}
