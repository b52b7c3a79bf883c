package io.cronstream.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The active owner of each partition of a store, from the same metadata the API routes single keys
 * by, so a list and a key lookup agree on who owns what.
 */
final class StoreOwners {

    private StoreOwners() {
    }

    /**
     * Per partition of {@code store}, its active host; {@link HostInfo#unavailable()} for a partition
     * that has none right now. Throws what {@link KafkaStreams#queryMetadataForKey} throws while the
     * instance is not running.
     */
    static List<HostInfo> of(KafkaStreams streams, String store) {
        int[] partitions = {0};
        streams.queryMetadataForKey(store, "", (StreamPartitioner<String, Object>) (topic, key, value, count) -> {
            partitions[0] = count;
            return Optional.of(Set.of(0));
        });
        List<HostInfo> owners = new ArrayList<>(partitions[0]);
        for (int p = 0; p < partitions[0]; p++) {
            int partition = p;
            KeyQueryMetadata metadata = streams.queryMetadataForKey(store, "",
                    (StreamPartitioner<String, Object>) (topic, key, value, count) -> Optional.of(Set.of(partition)));
            boolean known = metadata != null && metadata != KeyQueryMetadata.NOT_AVAILABLE && metadata.activeHost() != null;
            owners.add(known ? metadata.activeHost() : HostInfo.unavailable());
        }
        return owners;
    }
}
