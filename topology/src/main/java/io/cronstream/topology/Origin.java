package io.cronstream.topology;

import io.cronstream.schemas.DeadLetter;
import java.time.Instant;

/**
 * Where a record came from, with its original bytes. It travels with a parsed event through a
 * repartition so that a later, stateful check can still dead-letter the record exactly as it arrived.
 */
public record Origin(String topic, int partition, long offset, byte[] key, byte[] value) {

    public DeadLetter deadLetter(String reason, Instant failedAt) {
        return new DeadLetter(key, value, reason, topic, partition, offset, failedAt);
    }
}
