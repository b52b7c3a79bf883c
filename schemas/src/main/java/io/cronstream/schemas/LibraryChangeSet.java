package io.cronstream.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What the API shows for a library: pending changes per path, their counts, and when the last change came. */
public record LibraryChangeSet(
        String libraryId,
        long added,
        long modified,
        long deleted,
        List<PendingChange> pending,
        Instant lastChangeAt,
        long changeCount) {

    public LibraryChangeSet {
        Objects.requireNonNull(libraryId, "libraryId is required");
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    public static LibraryChangeSet of(LibrarySummary summary, List<PendingChange> pending) {
        return new LibraryChangeSet(summary.libraryId(), summary.added(), summary.modified(), summary.deleted(),
                pending, summary.lastChangeAt(), summary.changeCount());
    }
}
