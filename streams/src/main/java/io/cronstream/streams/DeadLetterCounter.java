package io.cronstream.streams;

import io.cronstream.schemas.DeadLetter;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Counts dead letters by source topic and reason category, as the Kafka Streams metric
 * {@code dead-letters-total} (group {@value #GROUP}), so an operator sees what kind of bad input
 * arrives where without reading the DLQ.
 */
final class DeadLetterCounter<K, T> implements FixedKeyProcessor<K, Routed<T>, Routed<T>> {

    static final String GROUP = "stream-cronstream-dlq-metrics";

    private final Map<String, Sensor> sensors = new HashMap<>();
    private FixedKeyProcessorContext<K, Routed<T>> context;

    @Override
    public void init(FixedKeyProcessorContext<K, Routed<T>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, Routed<T>> record) {
        if (record.value() instanceof Routed.Dead<T> dead) {
            DeadLetter letter = dead.letter();
            sensor(letter.sourceTopic(), category(letter.error())).record();
        }
        context.forward(record);
    }

    private Sensor sensor(String topic, String reason) {
        return sensors.computeIfAbsent(topic + "\u0000" + reason, key -> {
            String taskId = context.taskId().toString();
            Sensor sensor = context.metrics().addSensor("cronstream-dlq." + taskId + "." + topic + "." + reason,
                    Sensor.RecordingLevel.INFO);
            sensor.add(new MetricName("dead-letters-total", GROUP, "records sent to the DLQ",
                    Map.of("task-id", taskId, "source-topic", topic, "reason", reason)), new CumulativeSum());
            return sensor;
        });
    }

    /** A short, bounded label for a free-text reason: metrics need few distinct tag values. */
    static String category(String error) {
        String text = error.toLowerCase(Locale.ROOT);
        if (text.contains("malformed json")) {
            return "malformed-json";
        }
        if (text.contains("utf-8")) {
            return "not-utf8";
        }
        if (text.contains("too large") || text.contains("too deeply") || text.contains("at most")
                || text.contains("bytes, more than the")
                || text.contains("longer than")) {
            return "too-large";
        }
        if (text.contains("wrong type") || text.contains("cannot read") || text.contains("expected")) {
            return "wrong-type";
        }
        if (text.contains("missing") || text.contains("is required") || text.contains("null")) {
            return "missing-field";
        }
        if (text.contains("not known")) {
            return "unknown-job";
        }
        return "invalid";
    }

    @Override
    public void close() {
        sensors.values().forEach(context.metrics()::removeSensor);
    }
}
