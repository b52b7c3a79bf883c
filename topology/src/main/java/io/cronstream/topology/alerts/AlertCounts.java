package io.cronstream.topology.alerts;

import io.cronstream.schemas.AlertKind;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code alerts-counts} store: per partition, how many alerts of each kind have arrived (key: the kind's name),
 * a counter that only grows, and how many are stored now (key {@value #STORED}), so the bound on the store and
 * {@code /metrics} read a few numbers instead of every alert.
 */
public final class AlertCounts {

    /** Alerts in the store now; not a kind, so {@code /metrics} leaves it out. */
    public static final String STORED = "#stored";

    private final KeyValueStore<String, Long> store;

    AlertCounts(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    void arrived(AlertKind kind) {
        add(kind.name(), 1);
        add(STORED, 1);
    }

    void removed() {
        add(STORED, -1);
    }

    long stored() {
        Long count = store.get(STORED);
        return count == null ? 0 : count;
    }

    private void add(String key, long delta) {
        Long count = store.get(key);
        store.put(key, (count == null ? 0 : count) + delta);
    }
}
