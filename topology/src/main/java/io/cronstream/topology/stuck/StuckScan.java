package io.cronstream.topology.stuck;

import io.cronstream.streams.TimeIndex;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * One pass of stuck detection: reads the due part of the activity index and hands each entry on. Every
 * entry read is recorded on the {@code stuck-scan-entries-read} sensor (metric
 * {@code stuck-scan-entries-read-total} in group {@code stream-cronstream-progress-metrics}), which is how
 * operators and tests see that a scan costs O(stuck), not O(runs).
 */
public final class StuckScan {

    public static final String METRICS_SCOPE = "cronstream-progress";
    public static final String ENTRIES_READ = "stuck-scan-entries-read";

    private final ActivityIndex index;
    private final int maxPerScan;
    private final ProcessorContext<?, ?> context;
    private final Sensor entriesRead;

    public StuckScan(ProcessorContext<?, ?> context, ActivityIndex index, int maxPerScan) {
        this.context = context;
        this.index = index;
        this.maxPerScan = maxPerScan;
        this.entriesRead = context.metrics().addRateTotalSensor(METRICS_SCOPE, context.taskId().toString(),
                ENTRIES_READ, Sensor.RecordingLevel.INFO);
    }

    /**
     * Hands every entry whose deadline has passed to {@code onDue}. The entries are collected before any is handled, because
     * handling one moves it in the index being read.
     */
    public void run(Instant now, Consumer<TimeIndex.Entry> onDue) {
        List<TimeIndex.Entry> due = index.passedBefore(now, maxPerScan);
        due.forEach(entry -> entriesRead.record());
        due.forEach(onDue);
    }

    public void close() {
        context.metrics().removeSensor(entriesRead);
    }
}
