package io.cronstream.topology.runs;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition owns a run: the one Kafka Streams' default partitioner picks for its runId on the runs'
 * repartitions (murmur2 of the UTF-8 bytes, modulo their partition count), so the fold, the repartitions and
 * interactive queries agree. A worker's event that already sits in that partition of stage-progress (a Java
 * producer, same partition count) is folded by the task that reads it; any other crosses a repartition first.
 */
public final class RunPlacement {

    private RunPlacement() {
    }

    /** The partition that owns {@code runId} among {@code partitions}. */
    public static int ownerOf(String runId, int partitions) {
        return Utils.toPositive(Utils.murmur2(runId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Whether a worker's event was read from the partition that owns its run, so it needs no repartition. */
    public static boolean inPlace(String runId, RunInput input, int partitions) {
        return runId != null && input.origin() != null && input.origin().partition() >= 0
                && ownerOf(runId, partitions) == input.origin().partition();
    }
}
