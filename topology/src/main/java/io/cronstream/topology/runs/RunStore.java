package io.cronstream.topology.runs;

import io.cronstream.schemas.RunSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code progress-runs} as the runs processor reads and writes it: the store, with the runs this processor stored
 * last kept as objects, so a busy run is not parsed back from JSON on every event. The store stays the truth:
 * every write goes to it, and the objects are only ever what this processor itself wrote there since its
 * {@code init} (they are dropped on init and close, so a task revived after an aborted transaction reads its
 * restored store again). Small runs only, a bounded number of them, least recently used first out.
 */
final class RunStore {

    /** Runs kept as objects, at most. */
    static final int MAX_KEPT = 4_096;
    /** A run with more stages than this is not kept (its object could be large). */
    static final int MAX_KEPT_STAGES = 32;

    private final KeyValueStore<String, RunSnapshot> store;
    private final Map<String, RunSnapshot> kept = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunSnapshot> eldest) {
            return size() > MAX_KEPT;
        }
    };

    RunStore(KeyValueStore<String, RunSnapshot> store) {
        this.store = store;
    }

    KeyValueStore<String, RunSnapshot> store() {
        return store;
    }

    RunSnapshot get(String runId) {
        RunSnapshot run = kept.get(runId);
        return run != null ? run : store.get(runId);
    }

    void put(RunSnapshot run) {
        store.put(run.runId(), run);
        if (run.stages().size() <= MAX_KEPT_STAGES) {
            kept.put(run.runId(), run);
        } else {
            kept.remove(run.runId());
        }
    }

    void delete(String runId) {
        kept.remove(runId);
        store.delete(runId);
    }

    /** Forgets every object (the store keeps everything). */
    void clear() {
        kept.clear();
    }
}
