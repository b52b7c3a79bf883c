package io.cronstream.topology.libraries;

import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.topology.Origin;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.KeyValue;

/** Reads {@code cronstream.file-changes}. */
public final class FileChanges {

    private static final JsonCodec<FileChangeEvent> CODEC = JsonCodec.of(FileChangeEvent.class);

    private FileChanges() {
    }

    /**
     * The record key must be the libraryId (DESIGN §3): a library's change set lives in the task that owns
     * the key's partition, so a record keyed otherwise would fold into the wrong place.
     */
    public static KeyValue<String, FileChangeEvent> read(Origin origin) {
        FileChangeEvent event = CODEC.read(origin.value());
        String key = origin.key() == null ? null : new String(origin.key(), StandardCharsets.UTF_8);
        if (!event.libraryId().equals(key)) {
            throw new InvalidRecordException("record key " + (key == null ? "is missing" : "'" + abbreviate(key)
                    + "' is not the libraryId") + ": key file changes by libraryId '" + event.libraryId() + "'");
        }
        return KeyValue.pair(event.libraryId(), event);
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
