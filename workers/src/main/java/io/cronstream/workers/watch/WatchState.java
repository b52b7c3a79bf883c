package io.cronstream.workers.watch;

import io.cronstream.workers.files.FileState;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** The watcher's state file: the library as last published, to reconcile against on the next start. */
public record WatchState(String libraryId, String folder, SortedMap<String, FileState> files) {

    public WatchState {
        Objects.requireNonNull(libraryId, "libraryId");
        files = files == null ? new TreeMap<>() : new TreeMap<>(files);
    }
}
