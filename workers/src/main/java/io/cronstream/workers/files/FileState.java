package io.cronstream.workers.files;

import java.time.Instant;
import java.util.Objects;

/** The last known version of a library file: its stat and its content hash (SHA-256 hex). */
public record FileState(long size, Instant modified, String hash) {

    public FileState {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
        Objects.requireNonNull(modified, "modified");
        Objects.requireNonNull(hash, "hash");
    }

    /**
     * True when the stat is unchanged, so the known hash still holds and the file need not be read again.
     * Rewriting a file changes its modification time, which is what makes this shortcut safe.
     */
    public boolean matches(FileStat stat) {
        return size == stat.size() && modified.equals(stat.modified());
    }
}
