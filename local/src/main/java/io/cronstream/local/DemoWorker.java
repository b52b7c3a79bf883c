package io.cronstream.local;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunControl;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A pretend worker for the demo's other job types: for each due event it reports a run with {@code scan},
 * {@code thumbnail} and {@code cache} stages progressing over a few seconds. Jobs of type
 * {@value #STALLING_JOB_TYPE} go quiet half way, so the dashboard has a stuck run to show.
 */
final class DemoWorker implements AutoCloseable {

    static final String STALLING_JOB_TYPE = "FlakyExport";
    /** Left to the real worker of the demo library. */
    private static final String REAL_WORKER_JOB_TYPE = "LibraryScan";
    private static final List<String> STAGES = List.of("scan", "thumbnail", "cache");
    private static final int ITEMS = 24;
    private static final JsonCodec<DueEvent> DUE = JsonCodec.of(DueEvent.class);
    private static final JsonCodec<StageProgressEvent> PROGRESS = JsonCodec.of(StageProgressEvent.class);
    private static final JsonCodec<RunControl> CONTROL = JsonCodec.of(RunControl.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService steps = Executors.newSingleThreadScheduledExecutor();
    private final Thread poller;
    private final String topic;
    private final String controlTopic;
    /** CANCELs heard of, by runId; a demo lives minutes, so they are simply kept. */
    private final Map<String, String> cancelled = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    private DemoWorker(String bootstrap, Topics topics) {
        this.topic = topics.stageProgress();
        this.controlTopic = topics.runControl();
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "cronstream-demo-worker",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        consumer.subscribe(List.of(topics.jobDue(), topics.runControl()));
        this.poller = new Thread(this::poll, "cronstream-demo-worker");
    }

    static DemoWorker start(String bootstrap, Topics topics) {
        DemoWorker worker = new DemoWorker(bootstrap, topics);
        worker.poller.start();
        return worker;
    }

    private void poll() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (record.topic().equals(controlTopic)) {
                        cancel(record);
                        continue;
                    }
                    DueEvent due = DUE.read(record.value());
                    if (!REAL_WORKER_JOB_TYPE.equals(due.jobType())) {
                        steps.execute(() -> work(due, 0));
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() woke us
        } finally {
            consumer.close();
        }
    }

    private void cancel(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            RunControl control = CONTROL.read(record.value());
            cancelled.put(control.runId(), control.reason() == null ? "no reason given" : control.reason());
        } catch (InvalidRecordException e) {
            // not a CANCEL this demo understands: the run goes on
        }
    }

    /** One step of the simulated run; each step schedules the next, so many runs interleave on one thread. */
    private void work(DueEvent due, int step) {
        String cancel = cancelled.get(due.runId());
        if (cancel != null) {
            // honours CANCEL like the real worker: stops between items and says why
            producer.send(new ProducerRecord<>(topic, due.runId(), PROGRESS.write(new StageProgressEvent(due.runId(),
                    due.jobId(), due.jobType(), null, ProgressKind.RUN_FAILED, null, null, null, null,
                    "cancelled: " + cancel, Instant.now(), null, null, "cancelled: " + cancel))));
            return;
        }
        if (step == 0) {
            send(due, null, ProgressKind.RUN_STARTED, null);
            STAGES.forEach(stage -> send(due, stage, ProgressKind.STAGE_STARTED, (long) ITEMS));
        } else {
            String stage = STAGES.get(Math.min((step - 1) / ITEMS, STAGES.size() - 1));
            if (STALLING_JOB_TYPE.equals(due.jobType()) && step > ITEMS) {
                return; // goes quiet: stuck detection will flag it
            }
            if (step > ITEMS * STAGES.size()) {
                producer.send(new ProducerRecord<>(topic, due.runId(), PROGRESS.write(new StageProgressEvent(due.runId(),
                        due.jobId(), due.jobType(), null, ProgressKind.RUN_COMPLETED, null, null, null, null, null,
                        Instant.now(), null, JsonNodeFactory.instance.objectNode().put("items", ITEMS * STAGES.size()),
                        null))));
                return;
            }
            send(due, stage, ProgressKind.PROGRESS, null);
        }
        if (running.get()) {
            steps.schedule(() -> work(due, step + 1), 150, TimeUnit.MILLISECONDS);
        }
    }

    private void send(DueEvent due, String stage, ProgressKind kind, Long total) {
        StageProgressEvent event = new StageProgressEvent(due.runId(), due.jobId(), due.jobType(), stage, kind, total,
                null, null, null, null, Instant.now(), UUID.randomUUID().toString());
        producer.send(new ProducerRecord<>(topic, due.runId(), PROGRESS.write(event)));
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        steps.shutdownNow();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
