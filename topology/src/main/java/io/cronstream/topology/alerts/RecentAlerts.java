package io.cronstream.topology.alerts;

import io.cronstream.schemas.Alert;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The {@code alerts-recent} store's keys: the alert's {@code at} as big-endian millis (sign bit flipped, so byte
 * order is time order), then its id ({@code jobId NUL kind NUL runId}) in UTF-8. The store is its own time index:
 * newest first is a reverse scan, expiry a forward scan from the start, and an alert delivered twice lands on the
 * same key. Ids hold no control characters (the schema refuses them), so NUL separates them unambiguously.
 */
public final class RecentAlerts {

    /** Where an alert stands in the list: its instant to the millisecond, then its id. */
    public record Place(Instant at, String id) {
    }

    private RecentAlerts() {
    }

    public static String id(Alert alert) {
        return id(alert.jobId(), alert.kind().name(), alert.runId());
    }

    public static String id(String jobId, String kind, String runId) {
        return jobId + '\0' + kind + '\0' + (runId == null ? "" : runId);
    }

    public static Place place(Alert alert) {
        return new Place(Instant.ofEpochMilli(alert.at().toEpochMilli()), id(alert));
    }

    public static Bytes key(Place place) {
        byte[] id = place.id().getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + id.length).put(prefix(place.at().toEpochMilli())).put(id)
                .array());
    }

    public static Bytes key(Alert alert) {
        return key(place(alert));
    }

    /** The smallest key of any alert at or after {@code millis}. */
    static Bytes from(long millis) {
        return Bytes.wrap(prefix(millis));
    }

    private static byte[] prefix(long millis) {
        return ByteBuffer.allocate(Long.BYTES).putLong(millis ^ Long.MIN_VALUE).array();
    }

    /**
     * Hands the alerts of one partition, read from outside its processor (an interactive query), to {@code visitor}
     * newest first, starting strictly after {@code after} (null: the newest), until it answers false: only the
     * entries visited are read.
     */
    public static void newestFirst(ReadOnlyKeyValueStore<Bytes, Alert> store, Place after, Predicate<Alert> visitor) {
        Bytes afterKey = after == null ? null : key(after);
        try (KeyValueIterator<Bytes, Alert> it = after == null ? store.reverseAll()
                : store.reverseRange(from(Long.MIN_VALUE), afterKey)) {
            while (it.hasNext()) {
                KeyValue<Bytes, Alert> next = it.next();
                if (next.value != null && !next.key.equals(afterKey) && !visitor.test(next.value)) {
                    return;
                }
            }
        }
    }
}
