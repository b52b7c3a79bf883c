package io.cronstream.workers.watch;

import io.cronstream.workers.files.LibraryFolder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What to watch and how.
 *
 * @param quietPeriod how long a library must be still before its pending changes are published
 * @param maxWait     the longest a change waits while the library never goes quiet
 * @param stateFile   where the last published state is kept between runs
 */
public record WatchSettings(String libraryId, LibraryFolder folder, Duration quietPeriod, Duration maxWait,
        Path stateFile) {

    public WatchSettings {
        Objects.requireNonNull(libraryId, "libraryId");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(stateFile, "stateFile");
        if (quietPeriod.isNegative() || maxWait.compareTo(quietPeriod) < 0) {
            throw new IllegalArgumentException("need 0 <= quiet period <= max wait, got " + quietPeriod + " and " + maxWait);
        }
    }

    /** Under constant activity a change waits at most ten quiet periods. */
    public static WatchSettings of(String libraryId, LibraryFolder folder, Duration quietPeriod, Path stateFile) {
        return new WatchSettings(libraryId, folder, quietPeriod, quietPeriod.multipliedBy(10), stateFile);
    }
}
