package io.cronstream.schemas;

import java.util.Objects;

/** One path's coalesced change in a library's pending change set: ADDED, MODIFIED or DELETED. */
public record PendingChange(String path, ChangeType change) {

    public PendingChange {
        Objects.requireNonNull(path, "path is required");
        Objects.requireNonNull(change, "change is required");
        if (change == ChangeType.RENAMED) {
            throw new IllegalArgumentException("a pending change is never RENAMED: a rename is a delete plus an add");
        }
    }
}
