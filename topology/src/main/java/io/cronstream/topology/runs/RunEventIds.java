package io.cronstream.topology.runs;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code progress-run-event-ids}: every eventId a run has counted, for the whole life of the run, one key
 * each: {@code runId NUL source NUL eventId}. Ids never contain control characters, so all of a run's keys
 * are the one prefix range {@code runId NUL}, which {@link #forgetRun} deletes when the run is retired. The
 * source keeps a worker's progress eventIds apart from the ids of file changes that added work to the run.
 */
public final class RunEventIds {

    /** Where a counted eventId came from. */
    public enum Source {
        PROGRESS("progress"), FILE_CHANGE("file-change"),
        /** Not a worker's id: the alert kinds raised for the run, each at most once (DESIGN §12). */
        ALERT("alert");

        private final String tag;

        Source(String tag) {
            this.tag = tag;
        }
    }

    private static final char SEPARATOR = '\u0000';
    private static final StringSerializer KEYS = new StringSerializer();
    private static final byte[] SEEN = new byte[0];

    private final KeyValueStore<String, byte[]> store;

    public RunEventIds(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** Whether the run has already counted this id. */
    boolean counted(String runId, Source source, String eventId) {
        return store.get(key(runId, source, eventId)) != null;
    }

    void remember(String runId, Source source, String eventId) {
        store.put(key(runId, source, eventId), SEEN);
    }

    /** Deletes every eventId of the run: for retention, once the run itself is removed. */
    public void forgetRun(String runId) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> ids = store.prefixScan(runPrefix(runId), KEYS)) {
            ids.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }

    static String runPrefix(String runId) {
        return runId + SEPARATOR;
    }

    static String key(String runId, Source source, String eventId) {
        return runPrefix(runId) + source.tag + SEPARATOR + eventId;
    }
}
