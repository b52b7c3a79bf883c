package io.cronstream.api;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * The store partitions this instance is restoring right now. Kafka Streams lets interactive queries
 * read an active task's store while it restores (a task taken over from a dead instance), so a read
 * of all partitions would silently show only part of it: the API asks here first.
 */
final class RestoringStores implements StateRestoreListener {

    private final Set<String> restoring = ConcurrentHashMap.newKeySet();

    boolean restoring(String store, int partition) {
        return restoring.contains(key(store, partition));
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
        restoring.add(key(store, changelog.partition()));
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long numRestored) {
        // progress within a restore changes nothing: the partition is complete only at its end
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
        restoring.remove(key(store, changelog.partition()));
    }

    @Override
    public void onRestoreSuspended(TopicPartition changelog, String store, long totalRestored) {
        restoring.remove(key(store, changelog.partition()));
    }

    private static String key(String store, int partition) {
        return store + "#" + partition;
    }
}
