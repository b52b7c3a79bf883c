package io.cronstream.app;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs' partition count ({@code ProgressConfig.runPartitions}): the most partitions any input topic of the
 * application has, read from the cluster before the topology is built. That is the count Kafka Streams gave the
 * runs' repartition before it was fixed here, so an existing application keeps its topics; and it is at least the
 * stage-progress topic's, so every worker's event that a Java producer placed by its runId is folded where it is.
 */
final class RunPartitions {

    private static final Logger LOG = LoggerFactory.getLogger(RunPartitions.class);

    private RunPartitions() {
    }

    /** Reads the partition counts of {@code topics}; those that do not exist yet count as none. */
    static int of(Properties streamsProperties, Collection<String> topics, Duration timeout) {
        Map<String, Object> adminConfig = new StreamsConfig(streamsProperties).getAdminConfigs("cronstream-partitions");
        int most = 0;
        try (Admin admin = Admin.create(adminConfig)) {
            for (Map.Entry<String, KafkaFuture<TopicDescription>> topic
                    : admin.describeTopics(topics).topicNameValues().entrySet()) {
                try {
                    int partitions = topic.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS).partitions().size();
                    most = Math.max(most, partitions);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new IllegalStateException("could not read the partitions of " + topic.getKey() + ": "
                                + e.getCause(), e.getCause());
                    }
                    LOG.warn("event=input-topic-missing topic={} note=\"create it with as many partitions as the other "
                            + "inputs before sending to it\"", topic.getKey());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the input topics' partitions", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the Kafka cluster did not describe the input topics " + topics + " within "
                    + timeout + " (is cronstream.bootstrap.servers right and the cluster up?)", e);
        }
        int partitions = Math.max(1, most);
        LOG.info("event=run-partitions partitions={} inputs={}", partitions, topics);
        return partitions;
    }
}
