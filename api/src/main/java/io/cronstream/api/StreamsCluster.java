package io.cronstream.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;

/** {@link Cluster} from Kafka Streams' own metadata; {@code self} must equal {@code application.server}. */
public final class StreamsCluster implements Cluster {

    private static final Serializer<String> KEYS = Serdes.String().serializer();

    private final KafkaStreams streams;
    private final HostInfo self;

    public StreamsCluster(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public HostInfo self() {
        return self;
    }

    @Override
    public Owner owner(String store, String key) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(store, key, KEYS);
        } catch (StreamsException | IllegalStateException e) {
            throw ApiException.unavailable("store " + store + " is not available yet: " + state());
        }
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE
                || metadata.activeHost() == null || metadata.activeHost().equals(HostInfo.unavailable())) {
            throw ApiException.unavailable("the owner of this key is not known right now (" + state() + ")");
        }
        return new Owner(metadata.activeHost(), metadata.partition(), metadata.activeHost().equals(self));
    }

    /**
     * The owners of every partition of {@code store}; a 503 while any partition has none. Listing the
     * instances that host the store is not enough: a partition that nobody owns at this moment (while
     * ownership moves) would be a hole in a list gathered from them, answered 200.
     */
    @Override
    public List<HostInfo> hosts(String store) {
        Set<HostInfo> hosts = new LinkedHashSet<>();
        List<HostInfo> owners;
        try {
            owners = StoreOwners.of(streams, store);
        } catch (StreamsException | IllegalStateException e) {
            throw ApiException.unavailable("store " + store + " is not available yet: " + state());
        }
        for (int partition = 0; partition < owners.size(); partition++) {
            if (owners.get(partition).equals(HostInfo.unavailable())) {
                throw ApiException.unavailable("partition " + partition + " of " + store + " has no owner right now ("
                        + state() + ")");
            }
            hosts.add(owners.get(partition));
        }
        if (hosts.isEmpty()) {
            throw ApiException.unavailable("no instance serves " + store + " right now (" + state() + ")");
        }
        return List.copyOf(hosts);
    }

    @Override
    public String state() {
        return streams.state().name();
    }

    @Override
    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public boolean live() {
        KafkaStreams.State state = streams.state();
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING
                && state != KafkaStreams.State.PENDING_ERROR;
    }
}
