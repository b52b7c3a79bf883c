package io.cronstream.workers.scan;

import io.cronstream.workers.kafka.Producers;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A running LibraryScan worker: its Kafka clients, its loop and its heartbeat timer, closed together. */
public final class ScanWorker implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final Heartbeat heartbeat;
    private final WorkerLoop loop;

    private ScanWorker(Producer<String, byte[]> producer, Heartbeat heartbeat, WorkerLoop loop) {
        this.producer = producer;
        this.heartbeat = heartbeat;
        this.loop = loop;
    }

    public static ScanWorker start(WorkerSettings settings) {
        Producer<String, byte[]> producer = Producers.idempotent(settings.bootstrapServers(), settings.group() + "-progress");
        Heartbeat heartbeat = new Heartbeat(settings.heartbeatInterval());
        OutputLayout layout = new OutputLayout(settings.output());
        LibraryScanJob job = new LibraryScanJob(new KafkaRunEvents(producer, settings.topics()), layout,
                new DerivedFiles(layout, new Thumbnails(settings.thumbnailSize())), heartbeat, Clock.systemUTC());
        WorkerLoop loop = new WorkerLoop(dueConsumer(settings), settings.topics().jobDue(), job);
        loop.start();
        return new ScanWorker(producer, heartbeat, loop);
    }

    @Override
    public void close() {
        try {
            loop.close();
        } finally {
            heartbeat.close();
            producer.close();
        }
    }

    private static KafkaConsumer<String, byte[]> dueConsumer(WorkerSettings settings) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, settings.group(),
                // the ticker writes due events in transactions: only committed fires are jobs to run
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.offsetReset(),
                // one due event at a time: the next one is fetched only after this one's run has ended
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
