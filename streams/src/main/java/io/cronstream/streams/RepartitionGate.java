package io.cronstream.streams;

import io.cronstream.schemas.RecordSize;
import io.cronstream.schemas.DeadLetter;

import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The step before a raw input record crosses a repartition. A record larger than its reader accepts is
 * dead-lettered here, with the reason its reader would give (and may send a small stand-in across, which its reader
 * answers for): an input topic may allow records far larger than the internal topic (and the producer) take, and
 * one refused write would stop the application. Every
 * other record gets its source coordinates in headers, so a dead letter made after the repartition still
 * names the input topic, partition and offset ({@link DeadLetters#of}).
 */
public final class RepartitionGate implements Processor<byte[], byte[], byte[], Routed<byte[]>> {

    /** Marks a stand-in: the record it replaces is a dead letter already. */
    public static final String STAND_IN = "cronstream.stand-in";

    /** Far above any id's spelling, far below the internal topic's limit. */
    public static final int MAX_KEY_BYTES = 4 * 1024;

    private final int maxValueBytes;
    private final String what;
    private final BiFunction<byte[], Integer, byte[]> standIn;
    private ProcessorContext<byte[], Routed<byte[]>> context;
    /**
     * What crosses is read behind the repartition only once committed (read_committed), and it is what the ticker
     * acts on (a job defined or changed, a manual trigger): committed soon, not at the next commit interval.
     */
    private PromptCommits commits;

    /**
     * @param maxValueBytes the largest value the reader behind the repartition accepts
     * @param what          what the record is, for the reason: "a job definition", "a command"
     */
    public RepartitionGate(int maxValueBytes, String what) {
        this(maxValueBytes, what, (key, size) -> null);
    }

    /**
     * @param standIn what crosses, beside the dead letter, instead of a value too large, given the key and the value's
     *                size (null: nothing), marked {@link #STAND_IN}: its reader answers for it (a job document too large
     *                still makes its job stop firing)
     */
    public RepartitionGate(int maxValueBytes, String what, BiFunction<byte[], Integer, byte[]> standIn) {
        this.maxValueBytes = maxValueBytes;
        this.what = what;
        this.standIn = standIn;
    }

    @Override
    public void init(ProcessorContext<byte[], Routed<byte[]>> context) {
        this.context = context;
        this.commits = PromptCommits.schedule(context);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() != null && record.value().length > maxValueBytes) {
            context.forward(DeadLetters.of(context, record, record.key(), RecordSize.tooLarge("value", record.value().length,
                    maxValueBytes, what)));
            byte[] replacement = record.key() == null || record.key().length > MAX_KEY_BYTES ? null
                    : standIn.apply(record.key(), record.value().length);
            if (replacement == null) {
                return;
            }
            record = record.withValue(replacement);
            replace(record.headers(), STAND_IN, "dead-lettered");
        }
        if (record.key() != null && record.key().length > MAX_KEY_BYTES) {
            context.forward(DeadLetters.of(context, record, record.key(), RecordSize.tooLarge("key", record.key().length,
                    MAX_KEY_BYTES, what + "'s key")));
            return;
        }
        Headers headers = record.headers();
        RecordMetadata meta = context.recordMetadata().orElse(null);
        if (meta != null) {
            replace(headers, DeadLetter.SOURCE_TOPIC, meta.topic());
            replace(headers, DeadLetter.SOURCE_PARTITION, Integer.toString(meta.partition()));
            replace(headers, DeadLetter.SOURCE_OFFSET, Long.toString(meta.offset()));
        }
        context.forward(record.withValue(Routed.value(record.value())));
        commits.soon();
    }

    private static void replace(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
