package io.cronstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

/** The {@code ./cronstream dev} restart story: jobs, topics and the connector's place survive. */
class LocalStackTest {

    @TempDir
    Path stateDir;

    @Test
    void aRestartKeepsJobsTopicsAndTheConnectorsPlace() {
        // fixed across the restart, as in dev: the connector keys its stored offsets by the Mongo host and port
        LocalStack.Ports ports = new LocalStack.Ports(FreePorts.pick(), FreePorts.pick(), 0);

        try (LocalStack stack = LocalStack.start(stateDir, ports, false, List.of(LocalStack.jobsTopic(1)))) {
            insert(stack, "before-restart");
            assertThat(awaitKeys(stack, 1)).containsExactly("before-restart");
        }

        try (LocalStack stack = LocalStack.start(stateDir, ports, false, List.of(LocalStack.jobsTopic(1)))) {
            try (MongoClient client = MongoClients.create(stack.mongo().connectionString())) {
                assertThat(jobs(client).find().into(new ArrayList<>())).extracting(job -> job.get("_id"))
                        .containsExactly("before-restart");
            }
            insert(stack, "after-restart");
            // a second copy of the existing job would come first: the connector resumed from its stored offset
            assertThat(awaitKeys(stack, 2)).containsExactly("before-restart", "after-restart");
        }
    }

    private static void insert(LocalStack stack, String id) {
        try (MongoClient client = MongoClients.create(stack.mongo().connectionString())) {
            jobs(client).insertOne(new Document("_id", id));
        }
    }

    private static MongoCollection<Document> jobs(MongoClient client) {
        return client.getDatabase("scheduler").getCollection("scheduled_jobs");
    }

    /** Every key on the jobs topic, once at least {@code count} records are there. */
    private static List<String> awaitKeys(LocalStack stack, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(LocalStack.JOBS_TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> keys = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
                consumer.poll(Duration.ofMillis(50)).forEach(record -> keys.add(record.key()));
                return keys.size() >= count;
            });
            return keys;
        }
    }
}
