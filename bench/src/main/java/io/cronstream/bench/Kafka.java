package io.cronstream.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The plain Kafka client chores the benchmarks share. */
final class Kafka {

    private Kafka() {
    }

    /** A producer that fails loudly: a record the broker never took is an error, not a smaller benchmark. */
    static final class Writer implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        Writer(String bootstrap) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }

        void send(String topic, byte[] key, byte[] value) {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
        }

        /** Returns once every record sent so far is acknowledged; throws if any was not. */
        void flush() {
            producer.flush();
            Exception e = failure.get();
            if (e != null) {
                throw new IllegalStateException("the broker did not take every record", e);
            }
        }

        @Override
        public void close() {
            try {
                flush();
            } finally {
                producer.close();
            }
        }
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, boolean readCommitted) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /**
     * Reads {@code topic} from the beginning to its current end (for read_committed: the last stable
     * offset) and hands every record to {@code sink}; returns how many it read.
     */
    static long readAll(String bootstrap, String topic, boolean readCommitted,
            Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, readCommitted)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long read = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    sink.accept(record);
                    read++;
                }
            }
            return read;
        }
    }

    /**
     * Waits until every partition of {@code topics} has a leader. Producing to a topic the broker has
     * created but does not lead yet gets NOT_LEADER_OR_FOLLOWER, after which this broker answered the
     * idempotent producer's later batches with OUT_OF_ORDER_SEQUENCE_NUMBER until they expired.
     */
    static void awaitLeaders(String bootstrap, Collection<String> topics) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Admin admin = admin(bootstrap)) {
            while (!admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(topic -> topic.partitions().stream())
                    .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no leader for every partition of " + topics + " within 30 s");
                }
                Thread.sleep(50);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe " + topics, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /**
     * Waits until consumer group {@code groupId} has committed the end of every partition of
     * {@code topic}: everything in it was processed and, under exactly-once, committed. Returns
     * {@link System#nanoTime()} at the moment that was seen (polled every 50 ms).
     */
    static long awaitCommitted(String bootstrap, String groupId, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin(bootstrap)) {
            Map<TopicPartition, Long> end = endOffsets(admin, topic);
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
                boolean done = end.entrySet().stream().allMatch(e -> {
                    OffsetAndMetadata offset = committed.get(e.getKey());
                    return e.getValue() == 0 || offset != null && offset.offset() >= e.getValue();
                });
                if (done) {
                    return System.nanoTime();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(groupId + " did not finish " + topic + " within " + timeout
                            + ": committed " + committed + ", end " + end);
                }
                Thread.sleep(50);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read offsets of " + groupId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
            throws InterruptedException, ExecutionException {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = java.util.stream.IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets = admin.listOffsets(request).all().get();
        return offsets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
