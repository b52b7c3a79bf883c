package io.cronstream.api;

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
    private final RestoringStores restoring;

    StreamsStoreProvider(KafkaStreams streams, HostInfo self, RestoringStores restoring) {
        this.streams = streams;
        this.self = self;
        this.restoring = restoring;
    }

    /**
     * Every partition of {@code store} that this instance owns by the metadata the API routes by, each
     * complete, or an {@link InvalidStateStoreException}. While a task this instance was just given (a
     * failover) is created and restored, the instance is RUNNING: a plain read of all partitions would
     * leave that partition out or show part of it, a short list answered 200.
     */
    @Override
    public <V> ReadOnlyKeyValueStore<String, V> all(String store) {
        List<HostInfo> owners;
        try {
            owners = StoreOwners.of(streams, store);
        } catch (IllegalStateException | StreamsException notRunning) {
            throw new InvalidStateStoreException("Kafka Streams is " + streams.state() + ": " + notRunning.getMessage());
        }
        for (int partition = 0; partition < owners.size(); partition++) {
            if (owners.get(partition).equals(self)) {
                if (restoring.restoring(store, partition)) {
                    throw new InvalidStateStoreException("partition " + partition + " of " + store + " is restoring");
                }
                partition(store, partition); // throws until that partition's task runs
            }
        }
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> partition(String store, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition));
    }
}
