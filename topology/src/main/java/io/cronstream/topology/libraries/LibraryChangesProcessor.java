package io.cronstream.topology.libraries;

import io.cronstream.schemas.ChangeType;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.LibrarySummary;
import io.cronstream.schemas.PendingChange;
import io.cronstream.topology.ProgressTopology;
import io.cronstream.topology.runs.RunInput;
import io.cronstream.topology.runs.RunWork;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Coalesces file changes into each library's pending change set, and forwards, keyed by runId, the work
 * a change implies for the run it names (seed 001's incremental rebuild): ADDED/MODIFIED → one more
 * thumbnail and cache item, DELETED → one more cleanup item, RENAMED → both.
 */
public final class LibraryChangesProcessor implements Processor<String, FileChangeEvent, String, RunInput> {

    public static final String THUMBNAIL = "thumbnail";
    public static final String CACHE = "cache";
    public static final String CLEANUP = "cleanup";

    private ProcessorContext<String, RunInput> context;
    private KeyValueStore<String, LibrarySummary> summaries;
    private KeyValueStore<String, PendingChange> pending;

    @Override
    public void init(ProcessorContext<String, RunInput> context) {
        this.context = context;
        this.summaries = context.getStateStore(ProgressTopology.LIBRARIES_STORE);
        this.pending = context.getStateStore(ProgressTopology.LIBRARY_PENDING_STORE);
    }

    @Override
    public void process(Record<String, FileChangeEvent> record) {
        FileChangeEvent event = record.value();
        LibrarySummary summary = Objects.requireNonNullElse(summaries.get(event.libraryId()),
                LibrarySummary.empty(event.libraryId()));
        if (event.change() == ChangeType.RENAMED) {
            summary = coalesce(summary, event.oldPath(), ChangeType.DELETED);
            summary = coalesce(summary, event.path(), ChangeType.ADDED);
        } else {
            summary = coalesce(summary, event.path(), event.change());
        }
        boolean later = summary.lastChangeAt() == null || event.detectedAt().isAfter(summary.lastChangeAt());
        summaries.put(event.libraryId(), new LibrarySummary(summary.libraryId(), summary.added(), summary.modified(),
                summary.deleted(), later ? event.detectedAt() : summary.lastChangeAt(), summary.changeCount() + 1));
        if (event.runId() != null) {
            RunWork work = new RunWork(event.runId(), workFor(event.change()),
                    event.change() + " " + event.path() + " in library " + event.libraryId(), event.detectedAt(),
                    event.workId());
            context.forward(new Record<>(event.runId(), RunInput.work(work), record.timestamp()));
        }
    }

    /** Folds one change of one path into the pending set and returns the summary with adjusted counts. */
    private LibrarySummary coalesce(LibrarySummary summary, String path, ChangeType change) {
        String key = LibraryChangeSets.pendingKey(summary.libraryId(), path);
        PendingChange previous = pending.get(key);
        ChangeType was = previous == null ? null : previous.change();
        ChangeType is = Coalescing.combine(was, change);
        if (is == null) {
            pending.delete(key);
        } else if (is != was) {
            pending.put(key, new PendingChange(path, is));
        }
        return new LibrarySummary(summary.libraryId(),
                summary.added() + delta(ChangeType.ADDED, was, is),
                summary.modified() + delta(ChangeType.MODIFIED, was, is),
                summary.deleted() + delta(ChangeType.DELETED, was, is),
                summary.lastChangeAt(), summary.changeCount());
    }

    private static long delta(ChangeType counted, ChangeType was, ChangeType is) {
        return (is == counted ? 1 : 0) - (was == counted ? 1 : 0);
    }

    private static Map<String, Long> workFor(ChangeType change) {
        Map<String, Long> work = new LinkedHashMap<>();
        if (change != ChangeType.DELETED) {
            work.put(THUMBNAIL, 1L);
            work.put(CACHE, 1L);
        }
        if (change == ChangeType.DELETED || change == ChangeType.RENAMED) {
            work.put(CLEANUP, 1L);
        }
        return work;
    }
}
