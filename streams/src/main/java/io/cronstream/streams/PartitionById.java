package io.cronstream.streams;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Places a raw input record, through a repartition, in the partition that owns its id, whoever produced
 * it: Java clients hash keys with murmur2, librdkafka-based ones (kcat, .NET, Python, Go) with CRC32, and a
 * key may spell the id differently than the store does ({@code {"_id": "X"}}, {@code "X"}). The id is read
 * from the record, and hashed as Kafka Streams hashes a store key (murmur2 of its UTF-8 bytes), so the task
 * that folds it is the one interactive queries, the API and keyed commands look for.
 *
 * <p>Key and value travel unchanged; a record whose id cannot be read goes by its raw key, to be
 * dead-lettered by the processor with the reason.
 */
public final class PartitionById implements StreamPartitioner<byte[], byte[]> {

    private final BiFunction<byte[], byte[], String> idOf;

    /** @param idOf the record's id from its key and value, or null when it has none that can be read */
    public PartitionById(BiFunction<byte[], byte[], String> idOf) {
        this.idOf = idOf;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, byte[] key, byte[] value, int numPartitions) {
        String id = idOf.apply(key, value);
        byte[] hashed = id != null ? id.getBytes(StandardCharsets.UTF_8) : key;
        int partition = hashed == null ? 0 : Utils.toPositive(Utils.murmur2(hashed)) % numPartitions;
        return Optional.of(Set.of(partition));
    }
}
