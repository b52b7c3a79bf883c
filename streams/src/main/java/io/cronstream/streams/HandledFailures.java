package io.cronstream.streams;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many records {@link DeadLetterHandler} sent to the DLQ, by source topic. Kafka Streams gives a handler
 * no metrics registry, so the count lives here, per JVM, and {@code /metrics} publishes it as
 * {@code cronstream_unexpected_failures_total}: any value above zero is a defect to report.
 */
public final class HandledFailures {

    private static final Map<String, LongAdder> BY_TOPIC = new ConcurrentHashMap<>();

    private HandledFailures() {
    }

    static void count(String sourceTopic) {
        BY_TOPIC.computeIfAbsent(sourceTopic, topic -> new LongAdder()).increment();
    }

    /** Counts so far, by source topic ({@code unknown} for a punctuation with no input record). */
    public static Map<String, Long> byTopic() {
        Map<String, Long> counts = new TreeMap<>();
        BY_TOPIC.forEach((topic, count) -> counts.put(topic, count.sum()));
        return counts;
    }
}
