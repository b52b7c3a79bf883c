package io.cronstream.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Writes where a raw input record came from into its headers before it crosses a repartition, so that a
 * dead letter made after it still names the input topic, partition and offset ({@link DeadLetters#of}),
 * not the internal topic.
 */
public final class SourceHeaders implements FixedKeyProcessor<byte[], byte[], byte[]> {

    private FixedKeyProcessorContext<byte[], byte[]> context;

    @Override
    public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        Headers headers = record.headers();
        RecordMetadata meta = context.recordMetadata().orElse(null);
        if (meta != null) {
            replace(headers, DeadLetter.SOURCE_TOPIC, meta.topic());
            replace(headers, DeadLetter.SOURCE_PARTITION, Integer.toString(meta.partition()));
            replace(headers, DeadLetter.SOURCE_OFFSET, Long.toString(meta.offset()));
        }
        context.forward(record);
    }

    private static void replace(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
