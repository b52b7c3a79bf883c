package io.cronstream.worker;

import io.cronstream.library.Change;
import io.cronstream.library.FileState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the worker knows of a library between scans, in {@code <output>/state/<libraryId>.json}.
 *
 * @param files     the library as of the last completed scan: what the next scan is compared with
 * @param lastRunId the run that produced {@code files}; a redelivered due event for it is not redone
 * @param pending   a run that published its changes but has not completed yet
 */
public record ScanState(String libraryId, String folder, SortedMap<String, FileState> files, String lastRunId,
        Pending pending) {

    /**
     * A started run's plan, so that redoing the run does not publish (and count) its changes twice.
     * {@code scannedAt} is when its listing began: every change detected up to then is in its view, so its
     * processed report covers them (null in state written before reports existed: no report).
     */
    public record Pending(String runId, List<Change> changes, SortedMap<String, FileState> files, Instant scannedAt) {

        public Pending {
            Objects.requireNonNull(runId, "runId");
            changes = List.copyOf(changes);
            files = new TreeMap<>(files);
        }
    }

    public ScanState {
        Objects.requireNonNull(libraryId, "libraryId");
        files = files == null ? new TreeMap<>() : new TreeMap<>(files);
    }

    static ScanState empty(String libraryId, String folder) {
        return new ScanState(libraryId, folder, new TreeMap<>(), null, null);
    }

    ScanState started(Pending run) {
        return new ScanState(libraryId, folder, files, lastRunId, run);
    }

    ScanState abandoned() {
        return new ScanState(libraryId, folder, files, lastRunId, null);
    }

    ScanState completed(Pending run) {
        return new ScanState(libraryId, folder, run.files(), run.runId(), null);
    }
}
