package io.cronstream.topology.libraries;

import io.cronstream.schemas.ChangeType;

/**
 * How a new change to a path folds into the change already pending for it (DESIGN §6). The pending
 * change always says what a rebuild must do with the path compared with the last processed state.
 */
final class Coalescing {

    private Coalescing() {
    }

    /**
     * The change pending after {@code next}; null when nothing is left to do. {@code next} is never
     * RENAMED here: a rename arrives as DELETED of the old path plus ADDED of the new one.
     */
    static ChangeType combine(ChangeType pending, ChangeType next) {
        if (pending == null) {
            return next;
        }
        return switch (pending) {
            // still new to the rebuild, whatever happened to it since; deleted again before anyone saw it
            case ADDED -> next == ChangeType.DELETED ? null : ChangeType.ADDED;
            // the file existed before: gone now, or changed
            case MODIFIED -> next == ChangeType.DELETED ? ChangeType.DELETED : ChangeType.MODIFIED;
            // a file that comes back after a delete is a modified version of the one that was there
            case DELETED -> next == ChangeType.DELETED ? ChangeType.DELETED : ChangeType.MODIFIED;
            case RENAMED -> throw new IllegalArgumentException("a pending change is never RENAMED");
        };
    }
}
