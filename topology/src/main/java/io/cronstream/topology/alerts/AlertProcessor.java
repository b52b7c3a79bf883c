package io.cronstream.topology.alerts;

import io.cronstream.schemas.Alert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each alert of its partitions in {@code alerts-recent}, counts it by kind, and bounds the store: past
 * {@code maxPerPartition} the oldest alert goes as a new one arrives, and a wall-clock punctuation removes alerts
 * older than the retention. Removals are deletes, so the changelog carries tombstones and shrinks too.
 */
final class AlertProcessor implements Processor<String, Alert, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(AlertProcessor.class);

    private final AlertsConfig config;
    private KeyValueStore<Bytes, Alert> alerts;
    private AlertCounts counts;

    AlertProcessor(AlertsConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.alerts = context.getStateStore(AlertsTopology.ALERTS_STORE);
        this.counts = new AlertCounts(context.getStateStore(AlertsTopology.ALERT_COUNTS_STORE));
        context.schedule(config.sweepInterval(), PunctuationType.WALL_CLOCK_TIME,
                now -> sweep(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, Alert> record) {
        Alert alert = record.value();
        if (alert == null) {
            return;
        }
        Bytes key = RecentAlerts.key(alert);
        if (alerts.get(key) != null) {
            return; // the same alert again (a producer's retry): kept and counted once
        }
        alerts.put(key, alert);
        counts.arrived(alert.kind());
        if (counts.stored() > config.maxPerPartition()) {
            removeOldest(1);
        }
    }

    /** Removes the alerts older than the retention, oldest first, at most {@code maxPerSweep} per pass. */
    void sweep(Instant now) {
        long cutoff = now.minus(config.retention()).toEpochMilli();
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, Alert> it = alerts.range(RecentAlerts.from(Long.MIN_VALUE), RecentAlerts.from(cutoff))) {
            while (it.hasNext() && expired.size() < config.maxPerSweep()) {
                KeyValue<Bytes, Alert> next = it.next();
                // the range's end is inclusive of the bare prefix only, never of a key carrying the cutoff itself
                if (!next.key.equals(RecentAlerts.from(cutoff))) {
                    expired.add(next.key);
                }
            }
        }
        expired.forEach(this::remove);
        if (!expired.isEmpty()) {
            log.info("event=alerts-expired count={} retention={}", expired.size(), config.retention());
        }
    }

    private void removeOldest(int count) {
        List<Bytes> oldest = new ArrayList<>();
        try (KeyValueIterator<Bytes, Alert> it = alerts.all()) {
            while (it.hasNext() && oldest.size() < count) {
                oldest.add(it.next().key);
            }
        }
        oldest.forEach(this::remove);
    }

    private void remove(Bytes key) {
        if (alerts.delete(key) != null) {
            counts.removed();
        }
    }
}
