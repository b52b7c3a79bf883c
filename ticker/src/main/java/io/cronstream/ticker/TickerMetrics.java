package io.cronstream.ticker;

import io.cronstream.schemas.Trigger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The ticker's own Kafka Streams metrics (group {@code stream-cronstream-ticker-metrics}, tag
 * {@code task-id}), so they reach JMX and Prometheus with the rest: fires by trigger, misfires
 * and overlaps not emitted, index entries read by punctuations (which shows the scan is O(due)),
 * fire lateness, dead letters.
 */
final class TickerMetrics implements AutoCloseable {

    static final String GROUP = "stream-cronstream-ticker-metrics";

    private final StreamsMetrics metrics;
    private final String taskId;
    private final String processor;
    private final List<Sensor> sensors = new ArrayList<>();
    private final Map<Trigger, Sensor> fires = new EnumMap<>(Trigger.class);
    private final Sensor misfiresSkipped;
    private final Sensor overlapSkipped;
    private final Sensor entriesRead;
    private final Sensor punctuationsCut;
    private final Sensor lateness;
    private final Sensor deadLetters;
    private final Sensor parked;
    private final Sensor chainSkipped;

    TickerMetrics(StreamsMetrics metrics, String taskId, String processor) {
        this.metrics = metrics;
        this.taskId = taskId;
        this.processor = processor;
        for (Trigger trigger : Trigger.values()) {
            fires.put(trigger, total("fires-" + trigger.name().toLowerCase(Locale.ROOT), "due events emitted"));
        }
        misfiresSkipped = total("misfires-skipped", "missed fire times not emitted (policy, window or limit)");
        overlapSkipped = total("overlap-skipped", "fires skipped because the previous run was still active");
        entriesRead = total("schedule-entries-read", "ticker-schedule index entries read by punctuations");
        punctuationsCut = total("punctuations-cut", "punctuations that stopped at their fire or time budget");
        deadLetters = total("dead-letters", "records sent to the DLQ by the ticker");
        parked = total("jobs-parked", "jobs taken off the schedule because computing or emitting their fire failed");
        chainSkipped = total("chain-skipped", "fires skipped because the job's after names an unknown job or a cycle");
        lateness = sensor("fire-lateness");
        lateness.add(name("fire-lateness-avg-ms", "average time from fire time to emission"), new Avg());
        lateness.add(name("fire-lateness-max-ms", "longest time from fire time to emission"), new Max());
    }

    void fired(Trigger trigger, long latenessMs) {
        fires.get(trigger).record();
        lateness.record(latenessMs);
    }

    void misfiresSkipped(long count) {
        misfiresSkipped.record(count);
    }

    void overlapSkipped(long count) {
        overlapSkipped.record(count);
    }

    void chainSkipped(long count) {
        chainSkipped.record(count);
    }

    void entriesRead(int count) {
        entriesRead.record(count);
    }

    void punctuationCut() {
        punctuationsCut.record();
    }

    void deadLetter() {
        deadLetters.record();
    }

    void parked() {
        parked.record();
    }

    @Override
    public void close() {
        sensors.forEach(metrics::removeSensor);
    }

    private Sensor total(String metric, String description) {
        Sensor sensor = sensor(metric);
        sensor.add(name(metric + "-total", description), new CumulativeSum());
        return sensor;
    }

    private Sensor sensor(String metric) {
        Sensor sensor = metrics.addSensor("cronstream-ticker." + taskId + "." + processor + "." + metric, Sensor.RecordingLevel.INFO);
        sensors.add(sensor);
        return sensor;
    }

    private MetricName name(String metric, String description) {
        return new MetricName(metric, GROUP, description, Map.of("task-id", taskId, "processor", processor));
    }
}
