package io.cronstream.workers.scan;

import io.cronstream.workers.files.Change;
import io.cronstream.workers.files.FileState;
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
     * A started run's plan, stored before its changes are published, so that redoing the run publishes the same
     * changes again: the same {@code detectedAt}, so the same eventIds, which the progress topology counts once.
     *
     * @param scannedAt when its listing began: every change in it is stamped {@code detectedAt = scannedAt}, and
     *                  its processed report covers everything detected up to then. Null in a plan written
     *                  before plans were stored first, whose changes were already published: no republish, no report
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
