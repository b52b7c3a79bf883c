package io.cronstream.ticker;

import io.cronstream.streams.TimeIndex;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code ticker-jobs} and its indexes, {@code ticker-schedule} (by next fire) and {@code ticker-jobs-by-name}
 * (the API's list order), changed together so they never disagree.
 */
final class JobStore {

    private final KeyValueStore<String, JobState> jobs;
    private final TimeIndex index;
    private final JobNames names;

    JobStore(ProcessingContext context) {
        this.jobs = context.getStateStore(TickerTopology.JOBS_STORE);
        KeyValueStore<Bytes, byte[]> schedule = context.getStateStore(TickerTopology.SCHEDULE_STORE);
        this.index = new TimeIndex(schedule);
        this.names = new JobNames(context.getStateStore(TickerTopology.NAMES_STORE));
        names.indexOnce(jobs);
    }

    JobState get(String jobId) {
        return jobs.get(jobId);
    }

    /** {@code ticker-schedule}: (next fire time, jobId) for every job that has one. */
    TimeIndex index() {
        return index;
    }

    /** Stores {@code updated} (replacing {@code previous}, which may be null) and moves its index entry. */
    void save(JobState previous, JobState updated) {
        if (previous != null && previous.nextFireAt() != null
                && !Objects.equals(previous.nextFireAt(), updated.nextFireAt())) {
            index.remove(previous.nextFireAt(), previous.jobId());
        }
        if (updated.nextFireAt() != null) {
            index.put(updated.nextFireAt(), updated.jobId());
        }
        names.update(previous, updated);
        jobs.put(updated.jobId(), updated);
    }

    void delete(JobState previous) {
        if (previous.nextFireAt() != null) {
            index.remove(previous.nextFireAt(), previous.jobId());
        }
        names.update(previous, null);
        jobs.delete(previous.jobId());
    }
}
