package io.cronstream.topology;

import io.cronstream.streams.DeadLetters;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.streams.Routed;
import java.time.Instant;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The first processor behind every input topic: turns raw bytes into a keyed value, or into a dead
 * letter carrying the reason and the record's source coordinates. Input is consumed as bytes on purpose,
 * so no deserialization handler ever drops a record.
 */
public final class ParseProcessor<V> implements Processor<byte[], byte[], String, Routed<V>> {

    /** Reads one record; throws {@link InvalidRecordException} with a reason a producer can act on. */
    @FunctionalInterface
    public interface Reader<V> {
        /** @param readAt Cronstream's clock as the record is read, for the rules about a producer's times */
        KeyValue<String, V> read(Origin origin, Instant readAt);
    }

    private final Reader<V> reader;
    private ProcessorContext<String, Routed<V>> context;

    public ParseProcessor(Reader<V> reader) {
        this.reader = reader;
    }

    @Override
    public void init(ProcessorContext<String, Routed<V>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        Origin origin = new Origin(meta == null ? "unknown" : meta.topic(), meta == null ? -1 : meta.partition(),
                meta == null ? -1 : meta.offset(), record.key(), record.value());
        KeyValue<String, V> parsed;
        try {
            parsed = reader.read(origin, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        } catch (InvalidRecordException e) {
            context.forward(DeadLetters.of(context, record, record.key(), e.getMessage()));
            return;
        }
        context.forward(record.withKey(parsed.key).withValue(Routed.value(parsed.value)));
    }
}
