package io.cronstream.workers.watch;

import io.cronstream.workers.files.Change;
import io.cronstream.workers.files.Changes;
import io.cronstream.workers.files.FileState;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** The library as last published: what every new observation is compared with. */
final class KnownFiles {

    /** Looks at one path now; empty when no accepted file is there. */
    @FunctionalInterface
    interface Probe {
        Optional<FileState> look(String path, FileState known) throws IOException;
    }

    /** What was seen of some paths, and how that differs from what was known of them. */
    record Observation(Set<String> paths, SortedMap<String, FileState> seen, List<Change> changes) {
    }

    private final SortedMap<String, FileState> files;

    KnownFiles(SortedMap<String, FileState> files) {
        this.files = new TreeMap<>(files);
    }

    SortedMap<String, FileState> files() {
        return Collections.unmodifiableSortedMap(files);
    }

    /** Compares a complete new snapshot of the library with the known files. */
    Observation observeAll(SortedMap<String, FileState> snapshot) {
        Set<String> paths = new TreeSet<>(files.keySet());
        paths.addAll(snapshot.keySet());
        return new Observation(paths, snapshot, Changes.between(files, snapshot));
    }

    /**
     * Looks at the touched paths. A touched path may be a folder that was deleted or moved away, whose
     * files had no event of their own, so the known files under it are looked at too.
     */
    Observation observe(Set<String> touched, Probe probe) throws IOException {
        Set<String> paths = new TreeSet<>(touched);
        for (String path : touched) {
            String folder = path.endsWith("/") ? path : path + "/";
            // the next character after '/' is '0': the sub-map holds exactly the paths under the folder
            paths.addAll(files.subMap(folder, folder.substring(0, folder.length() - 1) + "0").keySet());
        }
        SortedMap<String, FileState> before = new TreeMap<>();
        SortedMap<String, FileState> seen = new TreeMap<>();
        for (String path : paths) {
            FileState known = files.get(path);
            if (known != null) {
                before.put(path, known);
            }
            probe.look(path, known).ifPresent(state -> seen.put(path, state));
        }
        return new Observation(paths, seen, Changes.between(before, seen));
    }

    /**
     * Makes what was observed the known state, once its changes are published. Files whose content did not
     * change still get their fresh stat, so the next look need not hash them again.
     */
    void accept(Observation observation) {
        files.keySet().removeAll(observation.paths());
        files.putAll(observation.seen());
    }
}
