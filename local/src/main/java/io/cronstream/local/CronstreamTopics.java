package io.cronstream.local;

import io.cronstream.devstack.LocalStack;
import io.cronstream.schemas.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The topics Cronstream reads and writes, as a single-broker stack creates them. {@code jobs}
 * (taking the connector's largest record) and {@code jobGraph} are compacted (the latest definition per job, the latest edge between two jobs, is the state); {@code jobs} and {@code commands}
 * share a partition count because the ticker's processors for both share one task's stores.
 */
public final class CronstreamTopics {

    private CronstreamTopics() {
    }

    public static List<NewTopic> all(Topics topics, int partitions) {
        return topics.all().stream().map(name -> {
            NewTopic topic = new NewTopic(name, partitions, (short) 1);
            if (name.equals(topics.jobs())) {
                return topic.configs(LocalStack.jobsTopicConfig());
            }
            return name.equals(topics.jobGraph()) ? topic.configs(Map.of("cleanup.policy", "compact")) : topic;
        }).toList();
    }
}
