package io.cronstream.workers.scan;

import io.cronstream.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a scan worker runs.
 *
 * @param offsetReset       where a new consumer group starts on {@code job-due}: {@code latest} (only jobs
 *                          due from now on) or {@code earliest}
 * @param heartbeatInterval how often a run reports it is alive while one item takes long
 * @param thumbnailSize     the longest side of a thumbnail, in pixels
 */
public record WorkerSettings(String bootstrapServers, Topics topics, Path output, String group, String offsetReset,
        Duration heartbeatInterval, int thumbnailSize) {

    public WorkerSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(group, "group");
        if (!offsetReset.equals("latest") && !offsetReset.equals("earliest")) {
            throw new IllegalArgumentException("offset reset must be latest or earliest, got " + offsetReset);
        }
    }

    public static WorkerSettings of(String bootstrapServers, Path output, String group) {
        return new WorkerSettings(bootstrapServers, Topics.defaults(), output, group, "latest", Duration.ofSeconds(10), 256);
    }

    public WorkerSettings withOffsetReset(String value) {
        return new WorkerSettings(bootstrapServers, topics, output, group, value, heartbeatInterval, thumbnailSize);
    }

    public WorkerSettings withTopics(Topics value) {
        return new WorkerSettings(bootstrapServers, value, output, group, offsetReset, heartbeatInterval, thumbnailSize);
    }

    public WorkerSettings withHeartbeatInterval(Duration value) {
        return new WorkerSettings(bootstrapServers, topics, output, group, offsetReset, value, thumbnailSize);
    }
}
