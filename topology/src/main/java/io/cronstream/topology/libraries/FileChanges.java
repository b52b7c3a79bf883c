package io.cronstream.topology.libraries;

import io.cronstream.schemas.RecordSize;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Times;
import io.cronstream.topology.Origin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.streams.KeyValue;

/** Reads {@code cronstream.file-changes}. */
public final class FileChanges {

    private static final JsonCodec<FileChangeEvent> CODEC = JsonCodec.of(FileChangeEvent.class);
    /** A real file change is well under a kilobyte (paths are at most 4096 characters). */
    public static final int MAX_FILE_CHANGE_BYTES = 64 * 1024;

    private FileChanges() {
    }

    /**
     * The record key must be the libraryId (DESIGN §3): a library's change set lives in the task that owns
     * the key's partition, so a record keyed otherwise would fold into the wrong place. Its times may lie at most
     * {@link Times#MAX_AHEAD} after {@code readAt} (Cronstream's clock): a change dated years ahead would be the
     * library's {@code lastChangeAt} until then, and would stay pending through every processed report before it.
     */
    public static KeyValue<String, FileChangeEvent> read(Origin origin, Instant readAt) {
        RecordSize.requireAtMost(origin.value(), MAX_FILE_CHANGE_BYTES, "a file-change event");
        FileChangeEvent event = CODEC.read(origin.value());
        String key = origin.key() == null ? null : new String(origin.key(), StandardCharsets.UTF_8);
        if (!event.libraryId().equals(key)) {
            throw new InvalidRecordException("record key " + (key == null ? "is missing" : "'" + abbreviate(key)
                    + "' is not the libraryId") + ": key file changes by libraryId '" + event.libraryId() + "'");
        }
        String ahead = Times.aheadProblem(event.detectedAt(), "detectedAt", readAt);
        if (ahead == null && event.processedReport()) {
            ahead = Times.aheadProblem(event.processedUpTo(), "processedUpTo", readAt);
        }
        if (ahead != null) {
            throw new InvalidRecordException(ahead);
        }
        return KeyValue.pair(event.libraryId(), event);
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
