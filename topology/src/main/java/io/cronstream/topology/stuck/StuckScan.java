package io.cronstream.topology.stuck;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of stuck detection: reads the due part of the activity index and hands each entry on. Every
 * entry read is recorded on the {@code stuck-scan-entries-read} sensor (metric
 * {@code stuck-scan-entries-read-total} in group {@code stream-cronstream-progress-metrics}), which is how
 * operators and tests see that a scan costs O(stuck), not O(runs).
 */
public final class StuckScan {

    private static final Logger LOG = LoggerFactory.getLogger(StuckScan.class);

    public static final String METRICS_SCOPE = "cronstream-progress";
    public static final String ENTRIES_READ = "stuck-scan-entries-read";

    private final ActivityIndex index;
    private final int maxPerScan;
    private final long budgetNanos;
    private final ProcessorContext<?, ?> context;
    private final Sensor entriesRead;

    /**
     * @param maxPerScan entries one scan reads at most
     * @param timeBudget how long one scan may hand entries on: it runs inside the task's transaction, which it must
     *                   not outlive; at least one entry is handled per scan, so stalls are always worked off
     */
    public StuckScan(ProcessorContext<?, ?> context, ActivityIndex index, int maxPerScan, Duration timeBudget) {
        this.context = context;
        this.index = index;
        this.maxPerScan = maxPerScan;
        this.budgetNanos = timeBudget.toNanos();
        this.entriesRead = context.metrics().addRateTotalSensor(METRICS_SCOPE, context.taskId().toString(),
                ENTRIES_READ, Sensor.RecordingLevel.INFO);
    }

    /**
     * Hands every entry whose deadline has passed to {@code onDue}. The entries are collected before any is handled, because
     * handling one moves it in the index being read.
     */
    public void run(Instant now, Consumer<ActivityIndex.Entry> onDue) {
        long deadline = System.nanoTime() + budgetNanos;
        List<ActivityIndex.Entry> due = index.passedBefore(now, maxPerScan);
        due.forEach(entry -> entriesRead.record());
        for (int handled = 0; handled < due.size(); handled++) {
            if (handled > 0 && System.nanoTime() - deadline > 0) {
                // The rest keep their passed deadlines in the index, so the next scan finds them first.
                LOG.info("event=stuck-scan-cut handled={} due={}: the rest waits for the next scan", handled, due.size());
                return;
            }
            onDue.accept(due.get(handled));
        }
    }

    public void close() {
        context.metrics().removeSensor(entriesRead);
    }
}
