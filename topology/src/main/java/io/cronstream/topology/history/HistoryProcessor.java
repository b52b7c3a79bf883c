package io.cronstream.topology.history;

import io.cronstream.schemas.JobHistory;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.topology.ProgressTopology;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps {@code progress-job-history}: each job's last runs and stats, from run snapshots keyed by jobId. */
public final class HistoryProcessor implements Processor<String, RunSnapshot, Void, Void> {

    private final int historySize;
    private KeyValueStore<String, JobHistory> histories;

    public HistoryProcessor(int historySize) {
        this.historySize = historySize;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.histories = context.getStateStore(ProgressTopology.JOB_HISTORY_STORE);
    }

    @Override
    public void process(Record<String, RunSnapshot> record) {
        String jobId = record.key();
        JobHistory history = Objects.requireNonNullElse(histories.get(jobId), JobHistories.empty(jobId));
        histories.put(jobId, JobHistories.record(history, record.value(), historySize));
    }
}
