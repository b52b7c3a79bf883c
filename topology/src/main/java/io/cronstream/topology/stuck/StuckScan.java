package io.cronstream.topology.stuck;

import io.cronstream.streams.TimeIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import io.cronstream.schemas.Printable;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.errors.StreamsException;
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
    public static final String FAILURES = "stuck-scan-failures";

    private final ActivityIndex index;
    private final int maxPerScan;
    private final long budgetNanos;
    private final ProcessorContext<?, ?> context;
    private final Sensor entriesRead;
    private final Sensor failures;

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
        this.failures = context.metrics().addRateTotalSensor(METRICS_SCOPE, context.taskId().toString(),
                FAILURES, Sensor.RecordingLevel.INFO);
    }

    /**
     * Hands every entry whose deadline has passed to {@code onDue}. The entries are collected before any is handled, because
     * handling one moves it in the index being read.
     */
    public void run(Instant now, Consumer<TimeIndex.Entry> onDue) {
        long deadline = System.nanoTime() + budgetNanos;
        List<TimeIndex.Entry> due = index.passedBefore(now, maxPerScan);
        due.forEach(entry -> entriesRead.record());
        for (int handled = 0; handled < due.size(); handled++) {
            if (handled > 0 && System.nanoTime() - deadline > 0) {
                // The rest keep their passed deadlines in the index, so the next scan finds them first.
                LOG.info("event=stuck-scan-cut handled={} due={}: the rest waits for the next scan", handled, due.size());
                return;
            }
            TimeIndex.Entry entry = due.get(handled);
            try {
                onDue.accept(entry);
            } catch (StreamsException taskTrouble) {
                throw taskTrouble; // a store or the producer failed: the task's problem, not this run's
            } catch (RuntimeException e) {
                park(entry, e);
            }
        }
    }

    /**
     * One run could not be checked: drop its index entry so the other runs due now are still checked and this
     * one does not fail again at every scan. Its next event puts it back in the index.
     */
    private void park(TimeIndex.Entry entry, RuntimeException e) {
        failures.record();
        LOG.atError().addKeyValue("event", "stuck-scan-failed").addKeyValue("runId", entry.id())
                .log("event=stuck-scan-failed runId={} deadline={} error=\"{}: {}\"", entry.id(),
                        entry.at(), e.getClass().getName(), Printable.escape(String.valueOf(e.getMessage())));
        index.remove(entry);
    }

    public void close() {
        context.metrics().removeSensor(entriesRead);
        context.metrics().removeSensor(failures);
    }
}
