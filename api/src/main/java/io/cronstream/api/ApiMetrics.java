package io.cronstream.api;

import io.cronstream.schemas.AlertKind;
import io.cronstream.streams.HandledFailures;
import io.cronstream.schemas.RunStatus;
import io.cronstream.topology.runs.RunCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cronstream's own metrics beside Kafka Streams' (bound to the same registry by the service):
 * trigger requests by outcome, and runs by status and stuck runs in this instance's partitions, read
 * from the counts the progress topology maintains ({@code progress-run-counts}): a scrape costs a few
 * numbers per partition, not a pass over every run. Summed over instances they cover every stored run. Alerts
 * by kind likewise, from the counts the alerts topology maintains ({@code alerts-counts}).
 */
public final class ApiMetrics {

    private final PrometheusMeterRegistry registry;
    private final LocalStores stores;
    private final Map<RunStatus, AtomicLong> runsByStatus = new EnumMap<>(RunStatus.class);
    private final AtomicLong stuckRuns = new AtomicLong();
    private final Map<AlertKind, AtomicLong> alertsByKind = new EnumMap<>(AlertKind.class);

    public ApiMetrics(PrometheusMeterRegistry registry, LocalStores stores) {
        this.registry = registry;
        this.stores = stores;
        for (RunStatus status : RunStatus.values()) {
            AtomicLong count = new AtomicLong();
            runsByStatus.put(status, count);
            Gauge.builder("cronstream.runs", count, AtomicLong::get)
                    .description("runs in this instance's partitions, by status")
                    .tag("status", status.name())
                    .register(registry);
        }
        Gauge.builder("cronstream.runs.stuck", stuckRuns, AtomicLong::get)
                .description("PENDING or RUNNING runs flagged stuck, in this instance's partitions")
                .register(registry);
        for (AlertKind kind : AlertKind.values()) {
            AtomicLong count = new AtomicLong();
            alertsByKind.put(kind, count);
            // cronstream_alerts_total{kind=...}: a counter per partition, so the sum over instances only grows
            // (a rebalance moves a partition's count from one instance to another)
            FunctionCounter.builder("cronstream.alerts", count, AtomicLong::get)
                    .description("alerts read from cronstream.alerts in this instance's partitions, by kind")
                    .tag("kind", kind.name())
                    .register(registry);
        }
    }

    void trigger(String outcome) {
        Counter.builder("cronstream.api.trigger.requests")
                .description("POST /api/v1/jobs/{jobId}/trigger requests decided here, by outcome")
                .tag("outcome", outcome.toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    /** Prometheus text; run counts are refreshed first, and kept as they were while the store is not queryable. */
    String scrape() {
        try {
            Map<String, Long> counts = stores.sums(StoreNames.RUN_COUNTS);
            runsByStatus.forEach((status, gauge) -> gauge.set(counts.getOrDefault(status.name(), 0L)));
            stuckRuns.set(counts.getOrDefault(RunCounts.STUCK, 0L));
        } catch (ApiException notQueryableNow) {
            // keep the last counts: a gap in the series is worse than a value a few seconds old
        }
        try {
            Map<String, Long> counts = stores.sums(StoreNames.ALERT_COUNTS);
            alertsByKind.forEach((kind, counter) -> counter.set(counts.getOrDefault(kind.name(), 0L)));
        } catch (ApiException notQueryableNow) {
            // as above
        }
        HandledFailures.byTopic().keySet().forEach(topic -> FunctionCounter
                .builder("cronstream.unexpected.failures", topic, t -> HandledFailures.byTopic().getOrDefault(t, 0L))
                .description("records the DLQ handler caught failing in a processor, punctuation or producer: defects")
                .tag("source_topic", topic)
                .register(registry));
        return registry.scrape();
    }
}
