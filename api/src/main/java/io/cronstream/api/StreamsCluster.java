package io.cronstream.api;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
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

    @Override
    public List<HostInfo> hosts(String store) {
        Collection<StreamsMetadata> metadata;
        try {
            metadata = streams.streamsMetadataForStore(store);
        } catch (StreamsException | IllegalStateException e) {
            throw ApiException.unavailable("store " + store + " is not available yet: " + state());
        }
        // Only active copies answer: an instance that holds the store as a standby only (warming up after a
        // scale-out, or a replica) has nothing to say, and asking it would turn the whole list into a 503.
        List<StreamsMetadata> active = metadata.stream().filter(host -> host.stateStoreNames().contains(store)).toList();
        if (active.isEmpty()) {
            throw ApiException.unavailable("no instance serves " + store + " right now (" + state() + ")");
        }
        // A partition that only a standby holds has no active copy to answer for it: the list would be short.
        // (Partitions name tasks of every sub-topology, so "active somewhere" is checked over all instances.)
        Set<TopicPartition> answered = streams.metadataForAllStreamsClients().stream()
                .flatMap(host -> host.topicPartitions().stream()).collect(Collectors.toSet());
        List<TopicPartition> unanswered = metadata.stream()
                .filter(host -> host.standbyStateStoreNames().contains(store))
                .flatMap(host -> host.standbyTopicPartitions().stream())
                .filter(partition -> !answered.contains(partition)).toList();
        if (!unanswered.isEmpty()) {
            throw ApiException.unavailable("no active copy of " + store + " for " + unanswered + " right now (" + state() + ")");
        }
        return active.stream().map(StreamsMetadata::hostInfo).distinct().toList();
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
