package io.cronstream.workers.files;

import java.time.Instant;
import java.util.Objects;

/** What the file system says about a file without reading it: enough to tell an untouched file. */
public record FileStat(long size, Instant modified) {

    public FileStat {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
        Objects.requireNonNull(modified, "modified");
    }
}
