package io.cronstream.topology.libraries;

import io.cronstream.schemas.LibraryChangeSet;
import io.cronstream.schemas.LibrarySummary;
import io.cronstream.schemas.PendingChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads a library's change set from its two stores: the summary in {@code progress-libraries} and one
 * entry per pending path in {@code progress-library-pending}, keyed {@code libraryId NUL path} so a
 * library's paths sit together in path order. Both live in the task that owns the libraryId, so the
 * API reads them from the same instance (interactive queries).
 */
public final class LibraryChangeSets {

    /** Separates libraryId and path in pending keys; a libraryId never contains control characters. */
    private static final String SEPARATOR = "\u0000";

    private LibraryChangeSets() {
    }

    public static Optional<LibraryChangeSet> read(ReadOnlyKeyValueStore<String, LibrarySummary> summaries,
            ReadOnlyKeyValueStore<String, PendingEntry> pending, String libraryId, int maxPaths) {
        return read(summaries, pending, libraryId, null, maxPaths);
    }

    /**
     * The change set with its pending paths after {@code afterPath} (null: from the first) in path order, at most
     * {@code maxPaths}: only those are read, so a page of a big library costs the page.
     */
    public static Optional<LibraryChangeSet> read(ReadOnlyKeyValueStore<String, LibrarySummary> summaries,
            ReadOnlyKeyValueStore<String, PendingEntry> pending, String libraryId, String afterPath, int maxPaths) {
        LibrarySummary summary = summaries.get(libraryId);
        if (summary == null) {
            return Optional.empty();
        }
        List<PendingChange> paths = new ArrayList<>();
        try (KeyValueIterator<String, PendingEntry> entries = afterPath == null ? scan(pending, libraryId)
                // every key of the library sorts below libraryId + U+0001: an id holds no control characters
                : pending.range(pendingKey(libraryId, afterPath), libraryId + "\u0001")) {
            while (entries.hasNext() && paths.size() < maxPaths) {
                PendingChange change = entries.next().value.toChange();
                if (!change.path().equals(afterPath)) {
                    paths.add(change);
                }
            }
        }
        return Optional.of(LibraryChangeSet.of(summary, paths));
    }

    /** A library's pending entries, in path order. */
    static KeyValueIterator<String, PendingEntry> scan(ReadOnlyKeyValueStore<String, PendingEntry> pending,
            String libraryId) {
        return pending.prefixScan(libraryId + SEPARATOR, new StringSerializer());
    }

    static String pendingKey(String libraryId, String path) {
        return libraryId + SEPARATOR + path;
    }
}
