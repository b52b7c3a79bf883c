package io.cronstream.topology.history;

import io.cronstream.schemas.JobHistory;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.streams.JobPresence;
import io.cronstream.streams.TimeIndex;
import io.cronstream.topology.ProgressConfig;
import io.cronstream.topology.ProgressTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code progress-job-history}: each job's last runs and stats, from run snapshots keyed by jobId. A job
 * the ticker removed has its history removed (a tombstone) once the run retention has passed since the removal,
 * unless the job is defined again first: {@code progress-job-expiry} orders the pending removals by time, so a
 * wall-clock sweep reads only those due, and {@code progress-job-removals} says when each job's is due.
 */
public final class HistoryProcessor implements Processor<String, HistoryInput, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryProcessor.class);

    private final int historySize;
    private final Duration retention;
    private final Duration sweepEvery;
    private final int maxPerSweep;
    private KeyValueStore<String, JobHistory> histories;
    private KeyValueStore<String, Long> removals;
    private TimeIndex expiry;

    public HistoryProcessor(ProgressConfig config) {
        this.historySize = config.historySize();
        this.retention = config.runRetention();
        this.sweepEvery = config.stuckScanInterval();
        this.maxPerSweep = config.maxStuckPerScan();
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.histories = context.getStateStore(ProgressTopology.JOB_HISTORY_STORE);
        this.removals = context.getStateStore(ProgressTopology.JOB_REMOVALS_STORE);
        KeyValueStore<Bytes, byte[]> expiryStore = context.getStateStore(ProgressTopology.JOB_EXPIRY_STORE);
        this.expiry = new TimeIndex(expiryStore);
        context.schedule(sweepEvery, PunctuationType.WALL_CLOCK_TIME, now -> sweep(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, HistoryInput> record) {
        String jobId = record.key();
        if (record.value() instanceof HistoryInput.Job job) {
            presence(jobId, job.presence());
            return;
        }
        RunSnapshot run = ((HistoryInput.Run) record.value()).run();
        JobHistory history = Objects.requireNonNullElse(histories.get(jobId), JobHistories.empty(jobId));
        histories.put(jobId, JobHistories.record(history, run, historySize));
    }

    /**
     * A removal (re)schedules the history's removal; a definition cancels a pending one. Runs do not cancel it:
     * a run still going when its job was deleted may finish later without bringing the job back.
     */
    private void presence(String jobId, JobPresence presence) {
        Long pending = removals.get(jobId);
        if (pending != null) {
            expiry.remove(Instant.ofEpochMilli(pending), jobId);
            removals.delete(jobId);
            if (!presence.removed()) {
                LOG.info("event=job-history-removal-cancelled jobId={}", jobId);
            }
        }
        if (presence.removed()) {
            Instant at = presence.at().plus(retention);
            expiry.put(at, jobId);
            removals.put(jobId, at.toEpochMilli());
            LOG.info("event=job-history-removal-scheduled jobId={} at={}", jobId, at);
        }
    }

    /** Collected before any is handled, because handling one deletes it from the index being read. */
    private void sweep(Instant now) {
        List<TimeIndex.Entry> due = expiry.before(now, maxPerSweep);
        for (TimeIndex.Entry entry : due) {
            expiry.remove(entry.at(), entry.id());
            removals.delete(entry.id());
            if (histories.get(entry.id()) != null) {
                histories.delete(entry.id());
                LOG.info("event=job-history-removed jobId={} dueAt={}", entry.id(), entry.at());
            }
        }
    }
}
