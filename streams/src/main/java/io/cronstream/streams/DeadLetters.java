package io.cronstream.streams;

import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.Printable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** Builds dead letters inside processors and sends them to the DLQ topic. */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    /**
     * The dead letter for the input record a processor is handling now, as the record to forward:
     * original key and bytes, the reason and the source coordinates in headers.
     */
    public static <KIn, KOut, T> Record<KOut, Routed<T>> of(ProcessorContext<KOut, Routed<T>> context,
            Record<KIn, byte[]> input, byte[] originalKey, String error) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? "unknown" : meta.topic();
        long partition = meta == null ? -1 : meta.partition();
        long offset = meta == null ? -1 : meta.offset();
        if (topic.endsWith("-repartition")) {
            // Behind a repartition, the input's own coordinates travel in headers written by RepartitionGate.
            String sourceTopic = header(input.headers(), DeadLetter.SOURCE_TOPIC);
            Long sourcePartition = number(header(input.headers(), DeadLetter.SOURCE_PARTITION));
            Long sourceOffset = number(header(input.headers(), DeadLetter.SOURCE_OFFSET));
            if (sourceTopic != null && sourcePartition != null && sourceOffset != null) {
                topic = sourceTopic;
                partition = sourcePartition;
                offset = sourceOffset;
            }
        }
        DeadLetter letter = new DeadLetter(originalKey, input.value(), error, topic, (int) partition, offset,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        log(letter, Level.WARN);
        return new Record<>(null, Routed.<T>dead(letter), input.timestamp(), letter.toHeaders());
    }

    /**
     * The one log line of a dead letter, whichever processor or handler wrote it: where it came from and why. Bad
     * input a processor refuses is a {@code WARN} (the producer's to fix); what only {@link DeadLetterHandler}
     * catches is an {@code ERROR} (a defect nobody foresaw).
     */
    public static void log(DeadLetter letter, Level level) {
        LOG.atLevel(level).addKeyValue("event", "dead-letter").addKeyValue("topic", letter.sourceTopic())
                .addKeyValue("partition", letter.partition()).addKeyValue("offset", letter.offset())
                .addKeyValue("reason", letter.error())
                .log("event=dead-letter topic={} partition={} offset={} reason=\"{}\"", letter.sourceTopic(),
                        letter.partition(), letter.offset(), Printable.escape(letter.error()));
    }

    private static Long number(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String header(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Sends the dead letters of {@code stream} to {@code dlqTopic} (original key and value, reason in
     * headers), counted by source topic and reason in {@code dead-letters-total}, and returns the
     * values, unwrapped, for their own topic.
     */
    public static <K, T> KStream<K, T> route(KStream<K, Routed<T>> stream, String dlqTopic, String name) {
        Map<String, KStream<K, Routed<T>>> branches = stream
                .split(Named.as(name + "-"))
                .branch((key, routed) -> routed instanceof Routed.Dead<T>, Branched.as("dead"))
                .defaultBranch(Branched.as("value"));
        branches.get(name + "-dead")
                .processValues(DeadLetterCounter::new, Named.as(name + "-dead-count"))
                .map((key, routed) -> {
                    DeadLetter letter = ((Routed.Dead<T>) routed).letter();
                    return KeyValue.pair(letter.key(), letter.value());
                }, Named.as(name + "-dead-unwrap"))
                .to(dlqTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-dlq"));
        return branches.get(name + "-value")
                .mapValues(routed -> ((Routed.Value<T>) routed).value(), Named.as(name + "-value-unwrap"));
    }
}
