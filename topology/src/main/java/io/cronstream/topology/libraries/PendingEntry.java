package io.cronstream.topology.libraries;

import io.cronstream.schemas.ChangeType;
import io.cronstream.schemas.PendingChange;
import java.time.Instant;

/**
 * The value of {@code progress-library-pending}: a path's coalesced change and when it was last detected,
 * which decides whether a processed report covers it. Entries written before this field existed read with
 * {@code detectedAt} null and count as detected before any report.
 */
public record PendingEntry(String path, ChangeType change, Instant detectedAt) {

    PendingChange toChange() {
        return new PendingChange(path, change);
    }

    /** Whether a report that everything detected up to {@code upTo} was processed covers this change. */
    boolean processedBy(Instant upTo) {
        return detectedAt == null || !detectedAt.isAfter(upTo);
    }
}
