package io.cronstream.workers.scan;

import io.cronstream.workers.kafka.Producers;
import java.time.Clock;
import java.util.Map;
import java.util.function.UnaryOperator;
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
    private final RunControlListener control;
    private final RunCancels cancels;

    private ScanWorker(Producer<String, byte[]> producer, Heartbeat heartbeat, WorkerLoop loop,
            RunControlListener control, RunCancels cancels) {
        this.producer = producer;
        this.heartbeat = heartbeat;
        this.loop = loop;
        this.control = control;
        this.cancels = cancels;
    }

    public static ScanWorker start(WorkerSettings settings) {
        return start(settings, UnaryOperator.identity());
    }

    /** @param around wraps where runs report to (tests step in between a run and Kafka) */
    static ScanWorker start(WorkerSettings settings, UnaryOperator<RunEvents> around) {
        Clock clock = Clock.systemUTC();
        Producer<String, byte[]> producer = Producers.idempotent(settings.bootstrapServers(), settings.group() + "-progress");
        Heartbeat heartbeat = new Heartbeat(settings.heartbeatInterval());
        OutputLayout layout = new OutputLayout(settings.output());
        RunCancels cancels = new RunCancels(clock);
        RunControlListener control = new RunControlListener(controlConsumer(settings), settings.topics().runControl(),
                cancels, clock);
        control.start();
        LibraryScanJob job = new LibraryScanJob(around.apply(new KafkaRunEvents(producer, settings.topics())), layout,
                new DerivedFiles(layout, new Thumbnails(settings.thumbnailSize())), heartbeat, clock, cancels);
        WorkerLoop loop = new WorkerLoop(dueConsumer(settings), settings.topics().jobDue(), job);
        loop.start();
        return new ScanWorker(producer, heartbeat, loop, control, cancels);
    }

    /** The cancels this worker has heard of, for tests that wait until one has arrived. */
    RunCancels cancels() {
        return cancels;
    }

    @Override
    public void close() {
        try {
            loop.close();
        } finally {
            control.close();
            heartbeat.close();
            producer.close();
        }
    }

    /** No group: every worker reads every CANCEL, since any of them may have the run. */
    private static KafkaConsumer<String, byte[]> controlConsumer(WorkerSettings settings) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG, settings.group() + "-run-control",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                new StringDeserializer(), new ByteArrayDeserializer());
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
