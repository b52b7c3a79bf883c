package io.cronstream.ticker;

import io.cronstream.streams.TimeIndex;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code ticker-job-sources} and its expiry index {@code ticker-job-sources-removed}: where each job's last
 * applied record stands ({@link JobSource}). A removed job's entry goes {@link #REMOVED_RETENTION} after its
 * removal, read from the index in time order, so a sweep costs what expires.
 */
final class JobSources {

    /** How long a removal is remembered; a repair older than {@link JobRepair#MAX_AGE} is refused, so it sees it. */
    static final Duration REMOVED_RETENTION = Duration.ofHours(1);

    private final KeyValueStore<String, JobSource> sources;
    private final TimeIndex removals;

    JobSources(ProcessingContext context) {
        this.sources = context.getStateStore(TickerTopology.SOURCES_STORE);
        this.removals = new TimeIndex(context.getStateStore(TickerTopology.SOURCES_REMOVED_STORE));
    }

    /** The position of the job's last applied record, or {@link JobSource#NONE}. */
    long position(String jobId) {
        JobSource source = sources.get(jobId);
        return source == null ? JobSource.NONE : source.position();
    }

    void applied(String jobId, long position, String fingerprint, Long version) {
        put(jobId, new JobSource(position, fingerprint, version, null));
    }

    void removed(String jobId, long position, Instant now) {
        put(jobId, new JobSource(position, null, null, now));
        removals.put(now, jobId);
    }

    /** Forgets removals older than the retention, at most {@code limit}; returns how many were read. */
    int expire(Instant now, int limit) {
        var expired = removals.before(now.minus(REMOVED_RETENTION), limit);
        for (TimeIndex.Entry entry : expired) {
            removals.remove(entry.at(), entry.id());
            JobSource source = sources.get(entry.id());
            if (source != null && entry.at().equals(source.removedAt())) {
                sources.delete(entry.id());
            }
        }
        return expired.size();
    }

    private void put(String jobId, JobSource updated) {
        JobSource previous = sources.get(jobId);
        if (previous != null && previous.removed()) {
            removals.remove(previous.removedAt(), jobId);
        }
        sources.put(jobId, updated);
    }
}
