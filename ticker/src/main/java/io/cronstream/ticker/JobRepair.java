package io.cronstream.ticker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A repair: a record on the jobs topic written by the reconciliation, not by the connector, carrying MongoDB's
 * document (or a tombstone) and, in headers, the position of the job's last record the reconciliation saw in
 * {@code ticker-job-sources} before it read MongoDB ({@link JobSource#NONE} when there was none), and when it read.
 * The ticker applies it only if the job's last applied record is still that one: any record that came between,
 * a newer definition or a removal delivered by the connector at the same moment, makes the repair stale, and it
 * is dropped ({@code event=repair-stale}). So a repair never puts an older definition over a newer one; the next
 * reconciliation looks again.
 */
public final class JobRepair {

    public static final String EXPECTED_POSITION = "cronstream.repair.expected-position";
    public static final String READ_AT = "cronstream.repair.read-at";
    /**
     * A repair read longer ago than this is dropped: the removals it is checked against are remembered for
     * {@link JobSources#REMOVED_RETENTION}, twice as long.
     */
    public static final Duration MAX_AGE = JobSources.REMOVED_RETENTION.dividedBy(2);

    private JobRepair() {
    }

    /** The headers of a repair decided on the job's position {@code expectedPosition}, read from MongoDB at {@code readAt}. */
    public static Headers headers(long expectedPosition, Instant readAt) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EXPECTED_POSITION, Long.toString(expectedPosition).getBytes(StandardCharsets.UTF_8));
        headers.add(READ_AT, Long.toString(readAt.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** The position a repair expects, or null when the record is not a repair (or its header is unreadable). */
    static Long expectedPosition(Headers headers) {
        return number(headers, EXPECTED_POSITION);
    }

    static Instant readAt(Headers headers) {
        Long millis = number(headers, READ_AT);
        return millis == null ? Instant.EPOCH : Instant.ofEpochMilli(millis);
    }

    private static Long number(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return null;
        }
        try {
            return Long.valueOf(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
