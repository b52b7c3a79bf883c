package io.cronstream.topology.retention;

import io.cronstream.streams.TimeIndex;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * One pass of retention: reads the expired part of the expiry index and hands each entry on. Every entry
 * read is recorded on the {@code retention-entries-read} sensor (metric {@code retention-entries-read-total}
 * in group {@code stream-cronstream-progress-metrics}), which shows that a sweep costs O(expired), not O(runs).
 */
public final class RetentionSweep {

    public static final String ENTRIES_READ = "retention-entries-read";

    private final ExpiryIndex index;
    private final int maxPerSweep;
    private final ProcessorContext<?, ?> context;
    private final Sensor entriesRead;

    public RetentionSweep(ProcessorContext<?, ?> context, String metricsScope, ExpiryIndex index, int maxPerSweep) {
        this.context = context;
        this.index = index;
        this.maxPerSweep = maxPerSweep;
        this.entriesRead = context.metrics().addRateTotalSensor(metricsScope, context.taskId().toString(),
                ENTRIES_READ, Sensor.RecordingLevel.INFO);
    }

    /** Collected before any is handled, because handling one deletes it from the index being read. */
    public void run(Instant now, Consumer<TimeIndex.Entry> onExpired) {
        List<TimeIndex.Entry> expired = index.passedBefore(now, maxPerSweep);
        expired.forEach(entry -> entriesRead.record());
        expired.forEach(onExpired);
    }

    public void close() {
        context.metrics().removeSensor(entriesRead);
    }
}
