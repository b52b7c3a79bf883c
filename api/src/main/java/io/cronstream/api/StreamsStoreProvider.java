package io.cronstream.api;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Interactive queries on active tasks only: a standby's copy may lag, and the API never answers from it. */
public final class StreamsStoreProvider implements StoreProvider {

    private final KafkaStreams streams;
    private final HostInfo self;

    public StreamsStoreProvider(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /**
     * Every partition of {@code store} that this instance owns by the metadata the API routes by, or
     * an {@link InvalidStateStoreException}. The metadata moves first: for a moment after a rebalance
     * gives this instance a dead one's partitions, their tasks do not exist yet while the instance is
     * RUNNING, and a plain read of all partitions reads only the tasks that exist, a short list
     * answered 200.
     */
    @Override
    public <V> ReadOnlyKeyValueStore<String, V> all(String store) {
        partitions(store);
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    @Override
    public List<Integer> partitions(String store) {
        List<HostInfo> owners;
        try {
            owners = StoreOwners.of(streams, store);
        } catch (IllegalStateException | StreamsException notRunning) {
            throw new InvalidStateStoreException("Kafka Streams is " + streams.state() + ": " + notRunning.getMessage());
        }
        List<Integer> mine = new ArrayList<>();
        for (int partition = 0; partition < owners.size(); partition++) {
            if (owners.get(partition).equals(self)) {
                partition(store, partition).approximateNumEntries(); // as in all(): a missing task throws here
                mine.add(partition);
            }
        }
        return mine;
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> global(String store) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> partition(String store, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition));
    }
}
