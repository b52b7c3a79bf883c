package io.cronstream.schemas;

import java.time.Instant;
import java.util.Objects;

/**
 * A library's pending change set without its paths: the value of the {@code progress-libraries} store.
 * The paths live one per entry beside it, so a library with many changed files never becomes one huge
 * value; {@link LibraryChangeSet} is the two put together.
 */
public record LibrarySummary(
        String libraryId,
        long added,
        long modified,
        long deleted,
        Instant lastChangeAt,
        long changeCount) {

    public LibrarySummary {
        Objects.requireNonNull(libraryId, "libraryId is required");
    }

    public static LibrarySummary empty(String libraryId) {
        return new LibrarySummary(libraryId, 0, 0, 0, null, 0);
    }
}
