package io.cronstream.workers.scan;

import io.cronstream.workers.files.Change;
import io.cronstream.workers.files.ChangeEvents;
import io.cronstream.workers.files.Changes;
import io.cronstream.workers.files.FileStat;
import io.cronstream.workers.files.FileState;
import io.cronstream.workers.files.LibraryFolder;
import io.cronstream.workers.files.StateFile;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cronstream.schemas.ChangeType;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.FileChangeEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;

/**
 * One LibraryScan run: compares the library with the last completed scan, stores that plan, publishes every
 * difference as a file change naming this run (the progress topology turns them into the totals of the
 * thumbnail, cache and cleanup stages), then works through those stages. The first scan of a library finds every file ADDED, so
 * it builds everything; later scans build only what changed.
 */
final class ScanRun {

    /** What one stage does to one library path. */
    private interface ItemWork {
        void apply(String path) throws IOException;
    }

    private final DueEvent due;
    private final ScanRequest request;
    private final LibraryFolder folder;
    private final RunEvents events;
    private final ProgressReporter reporter;
    private final Heartbeat heartbeat;
    private final DerivedFiles derived;
    private final StateFile<ScanState> stateFile;
    private final Clock clock;
    private final RunCancels cancels;
    private String stage;

    ScanRun(DueEvent due, ScanRequest request, RunEvents events, ProgressReporter reporter, Heartbeat heartbeat,
            DerivedFiles derived, StateFile<ScanState> stateFile, Clock clock, RunCancels cancels) {
        this.due = due;
        this.request = request;
        this.folder = new LibraryFolder(request.folder(), request.filter());
        this.events = events;
        this.reporter = reporter;
        this.heartbeat = heartbeat;
        this.derived = derived;
        this.stateFile = stateFile;
        this.clock = clock;
        this.cancels = cancels;
    }

    void execute() throws IOException, InterruptedException {
        ScanState state = stateFile.read().orElseGet(() -> ScanState.empty(request.libraryId(), folder.root().toString()));
        if (due.runId().equals(state.lastRunId())) {
            // delivered again after it completed: say so again, in case the first saying was lost
            reporter.runCompleted("already completed");
            reporter.flush();
            return;
        }
        ScanState.Pending run = state.pending();
        ObjectNode result;
        if (run != null && !run.runId().equals(due.runId())) {
            abandon(run);
            state = state.abandoned();
            run = null;
        }
        reporter.runStarted("scanning library " + request.libraryId() + " at " + folder.root());
        try {
            String scanned;
            if (run == null) {
                run = scan(state.files());
                // the plan before its changes: a crash in between publishes them again on the next try, and
                // the same changes (same scannedAt as detectedAt, so the same eventIds) add their work to the run once
                stateFile.write(state.started(run));
                scanned = run.files().size() + " files: " + summary(run.changes());
            } else {
                scanned = "resumed: " + summary(run.changes());
            }
            if (run.scannedAt() != null) {
                // stamped with the listing's start, so the processed report covers exactly this scan's view
                events.fileChanges(ChangeEvents.of(request.libraryId(), run.runId(), run.changes(), run.scannedAt()));
            }
            reporter.stageCompleted(Stages.SCAN, scanned);
            reporter.flush();
            List<Change> changes = run.changes();
            List<String> built = changes.stream().filter(Change::producesContent).map(Change::path).toList();
            List<String> removed = changes.stream().map(Change::removedPath).filter(Objects::nonNull).toList();
            long thumbnailed = work(Stages.THUMBNAIL, built, path -> derived.buildThumbnail(request.libraryId(), folder, path));
            long cached = work(Stages.CACHE, built, path -> derived.copyToCache(request.libraryId(), folder, path));
            long cleaned = work(Stages.CLEANUP, removed, path -> derived.remove(request.libraryId(), path));
            stage = null;
            result = result(run, thumbnailed, cached, cleaned, built.size() * 2L + removed.size());
            reportProcessed(run);
            stateFile.write(state.completed(run));
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof KafkaException)) {
                if (stage != null) {
                    reporter.stageFailed(stage, e instanceof RunCancelledException cancelled ? cancelled.error()
                            : Failures.reason(e));
                }
                // the next run compares with the last completed scan again, and so takes this run's changes over
                stateFile.write(state.abandoned());
            }
            throw e;
        }
        reporter.runCompleted(summary(run.changes()), result);
        reporter.flush();
    }

    /** What the run did, for RUN_COMPLETED's result: a few counts, far below the 16 KB a result may have. */
    private static ObjectNode result(ScanState.Pending run, long thumbnailed, long cached, long cleaned, long items) {
        Map<ChangeType, Long> counts = counts(run.changes());
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("files", run.files().size());
        for (ChangeType type : ChangeType.values()) {
            result.put(type.name().toLowerCase(Locale.ROOT), counts.getOrDefault(type, 0L));
        }
        result.put("thumbnailed", thumbnailed);
        result.put("cached", cached);
        result.put("cleaned", cleaned);
        result.put("failed", items - thumbnailed - cached - cleaned);
        return result;
    }

    /**
     * Seed 001's Processed: everything detected in the library up to the listing's start is done, so it
     * leaves the pending change set; what a watcher detected since stays for the next scan.
     */
    private void reportProcessed(ScanState.Pending run) {
        if (run.scannedAt() != null) {
            events.processed(FileChangeEvent.processed(request.libraryId(), run.runId(), run.scannedAt(),
                    clock.instant()));
        }
    }

    /** Lists and fingerprints the library and returns the differences as this run's plan. */
    @SuppressWarnings("try") // the heartbeat resource only has to be open while the item runs
    private ScanState.Pending scan(SortedMap<String, FileState> known) throws IOException, InterruptedException {
        stage = Stages.SCAN;
        Instant scannedAt = clock.instant();
        SortedMap<String, FileStat> listed = folder.list();
        reporter.stageStarted(Stages.SCAN, (long) listed.size(), "scanning " + listed.size() + " files");
        // started now, without totals, so the run stays open until this worker says they are done
        for (String later : List.of(Stages.THUMBNAIL, Stages.CACHE, Stages.CLEANUP)) {
            reporter.stageStarted(later, null, "waiting for the scan");
        }
        SortedMap<String, FileState> files = new TreeMap<>();
        int item = 0;
        long failed = 0;
        for (Map.Entry<String, FileStat> entry : listed.entrySet()) {
            checkStop();
            String path = entry.getKey();
            FileState before = known.get(path);
            try (Heartbeat.Beats beats = heartbeat.during(() -> reporter.heartbeat("scanning " + path))) {
                Optional<FileState> now = folder.fingerprint(path, entry.getValue(), before);
                now.ifPresent(state -> files.put(path, state));
                reporter.itemDone(Stages.SCAN, item);
            } catch (IOException e) {
                checkInterrupted();
                // unreadable now is not gone: keep what was known so it is neither rebuilt nor cleaned up
                if (before != null) {
                    files.put(path, before);
                }
                reporter.itemFailed(Stages.SCAN, item, ++failed, path + ": " + Failures.reason(e));
            }
            item++;
        }
        return new ScanState.Pending(due.runId(), Changes.between(known, files), files, scannedAt);
    }

    @SuppressWarnings("try") // the heartbeat resource only has to be open while the item runs
    /** @return how many items the stage did (the others failed) */
    private long work(String name, List<String> paths, ItemWork work) throws InterruptedException {
        stage = name;
        long failed = 0;
        for (int item = 0; item < paths.size(); item++) {
            checkStop();
            String path = paths.get(item);
            try (Heartbeat.Beats beats = heartbeat.during(() -> reporter.heartbeat(name + " " + path))) {
                work.apply(path);
                reporter.itemDone(name, item);
            } catch (IOException | RuntimeException e) {
                if (e instanceof KafkaException) {
                    throw (KafkaException) e;
                }
                checkInterrupted();
                reporter.itemFailed(name, item, ++failed, path + ": " + Failures.reason(e));
            }
        }
        reporter.stageCompleted(name, (paths.size() - failed) + " done, " + failed + " failed");
        reporter.flush();
        return paths.size() - failed;
    }

    /** Between items: the worker stopping, or a CANCEL for this run, ends it here. */
    private void checkStop() throws InterruptedException {
        checkInterrupted();
        cancels.check(due.runId());
    }

    /** A run that published its changes and then stopped for good: its work goes to the run replacing it. */
    private void abandon(ScanState.Pending run) {
        new ProgressReporter(events, run.runId(), null, due.jobType(), clock)
                .runFailed("abandoned: its work is taken over by run " + due.runId());
    }

    private static void checkInterrupted() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("worker stopping");
        }
    }

    private static Map<ChangeType, Long> counts(List<Change> changes) {
        return changes.stream().collect(Collectors.groupingBy(Change::type, () -> new EnumMap<>(ChangeType.class),
                Collectors.counting()));
    }

    private static String summary(List<Change> changes) {
        Map<ChangeType, Long> counts = counts(changes);
        return counts.getOrDefault(ChangeType.ADDED, 0L) + " added, "
                + counts.getOrDefault(ChangeType.MODIFIED, 0L) + " modified, "
                + counts.getOrDefault(ChangeType.DELETED, 0L) + " deleted, "
                + counts.getOrDefault(ChangeType.RENAMED, 0L) + " renamed";
    }
}
