package io.cronstream.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the time-ordered indexes ({@code progress-run-activity}, {@code progress-run-expiry}): the
 * big-endian instant, then the id. RocksDB orders keys as unsigned bytes, so a range from the start up to
 * an instant's bare prefix reads exactly the entries due before it, and a scan costs what it finds.
 */
public final class TimeOrderedKeys {

    /** A decoded key. */
    public record Entry(Instant at, String id) {
    }

    private TimeOrderedKeys() {
    }

    public static Bytes key(long millis, String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + bytes.length).put(prefix(millis).get()).put(bytes).array());
    }

    /** The bare 8-byte prefix of an instant, which sorts before every key carrying that instant. */
    public static Bytes prefix(long millis) {
        // Flipping the sign bit makes unsigned byte order equal to signed numeric order.
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(millis ^ Long.MIN_VALUE).array());
    }

    public static Entry decode(byte[] key) {
        long millis = ByteBuffer.wrap(key, 0, Long.BYTES).getLong() ^ Long.MIN_VALUE;
        return new Entry(Instant.ofEpochMilli(millis),
                new String(key, Long.BYTES, key.length - Long.BYTES, StandardCharsets.UTF_8));
    }
}
