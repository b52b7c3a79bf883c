package io.cronstream.topology.libraries;

import io.cronstream.schemas.ChangeType;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.LibrarySummary;
import io.cronstream.topology.ProgressTopology;
import io.cronstream.topology.runs.RunInput;
import io.cronstream.topology.runs.RunWork;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces file changes into each library's pending change set, and forwards, keyed by runId, the work
 * a change implies for the run it names (seed 001's incremental rebuild): ADDED/MODIFIED → one more
 * thumbnail and cache item, DELETED → one more cleanup item, RENAMED → both. A processed report drains
 * the set: every change detected up to its instant leaves it.
 */
public final class LibraryChangesProcessor implements Processor<String, FileChangeEvent, String, RunInput> {

    public static final String THUMBNAIL = "thumbnail";
    public static final String CACHE = "cache";
    public static final String CLEANUP = "cleanup";

    private static final Logger LOG = LoggerFactory.getLogger(LibraryChangesProcessor.class);

    private ProcessorContext<String, RunInput> context;
    private KeyValueStore<String, LibrarySummary> summaries;
    private KeyValueStore<String, PendingEntry> pending;

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
        if (event.processedReport()) {
            summaries.put(event.libraryId(), drain(summary, event));
            return;
        }
        if (event.change() == ChangeType.RENAMED) {
            summary = coalesce(summary, event.oldPath(), ChangeType.DELETED, event.detectedAt());
            summary = coalesce(summary, event.path(), ChangeType.ADDED, event.detectedAt());
        } else {
            summary = coalesce(summary, event.path(), event.change(), event.detectedAt());
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

    /**
     * Removes every pending change detected up to the report's instant; later ones stay for the next run.
     * Reads the library's pending entries once: what a report costs follows the set it drains.
     */
    private LibrarySummary drain(LibrarySummary summary, FileChangeEvent report) {
        List<String> processed = new ArrayList<>();
        long added = 0;
        long modified = 0;
        long deleted = 0;
        try (KeyValueIterator<String, PendingEntry> entries = LibraryChangeSets.scan(pending, summary.libraryId())) {
            while (entries.hasNext()) {
                KeyValue<String, PendingEntry> entry = entries.next();
                if (entry.value.processedBy(report.processedUpTo())) {
                    processed.add(entry.key);
                    added += entry.value.change() == ChangeType.ADDED ? 1 : 0;
                    modified += entry.value.change() == ChangeType.MODIFIED ? 1 : 0;
                    deleted += entry.value.change() == ChangeType.DELETED ? 1 : 0;
                }
            }
        }
        processed.forEach(pending::delete);
        LOG.info("event=library-processed libraryId={} runId={} processedUpTo={} drained={} left={}",
                summary.libraryId(), report.runId(), report.processedUpTo(), processed.size(),
                summary.added() + summary.modified() + summary.deleted() - processed.size());
        return new LibrarySummary(summary.libraryId(), summary.added() - added, summary.modified() - modified,
                summary.deleted() - deleted, summary.lastChangeAt(), summary.changeCount());
    }

    /** Folds one change of one path into the pending set and returns the summary with adjusted counts. */
    private LibrarySummary coalesce(LibrarySummary summary, String path, ChangeType change, Instant detectedAt) {
        String key = LibraryChangeSets.pendingKey(summary.libraryId(), path);
        PendingEntry previous = pending.get(key);
        ChangeType was = previous == null ? null : previous.change();
        ChangeType is = Coalescing.combine(was, change);
        if (is == null) {
            pending.delete(key);
        } else {
            // rewritten even when the change stays the same: a newer detection is not covered by an older report
            pending.put(key, new PendingEntry(path, is, latest(previous, detectedAt)));
        }
        return new LibrarySummary(summary.libraryId(),
                summary.added() + delta(ChangeType.ADDED, was, is),
                summary.modified() + delta(ChangeType.MODIFIED, was, is),
                summary.deleted() + delta(ChangeType.DELETED, was, is),
                summary.lastChangeAt(), summary.changeCount());
    }

    private static Instant latest(PendingEntry previous, Instant detectedAt) {
        return previous == null || previous.detectedAt() == null || detectedAt.isAfter(previous.detectedAt())
                ? detectedAt : previous.detectedAt();
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
