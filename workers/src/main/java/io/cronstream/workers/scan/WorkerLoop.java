package io.cronstream.workers.scan;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.schemas.JsonCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes due events one at a time and hands those of its job types to the handler. A run may take far
 * longer than the consumer's poll interval allows, so it runs on a thread of its own while this one keeps
 * polling with every partition paused: the worker stays in its group, and nothing new is fetched until the
 * run ends. The offset is committed after the run has reported its end, so a crash redoes the run
 * (with the same runId) rather than losing it.
 */
public final class WorkerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);
    private static final JsonCodec<DueEvent> DUE = JsonCodec.of(DueEvent.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final DueHandler handler;
    private final ExecutorService runner;
    private final Thread thread;
    private volatile boolean closed;
    private boolean busy;

    public WorkerLoop(Consumer<String, byte[]> consumer, String topic, DueHandler handler) {
        this.consumer = consumer;
        this.topic = topic;
        this.handler = handler;
        this.runner = Executors.newSingleThreadExecutor(task -> new Thread(task, "scan-run"));
        this.thread = new Thread(this::loop, "worker-loop");
    }

    public void start() {
        thread.start();
    }

    /** Stops consuming; a run in progress is interrupted and resumed by whoever gets its due event next. */
    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        consumer.subscribe(List.of(topic), new PauseWhileBusy());
        try {
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    process(record);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } finally {
            // a run cut short keeps its plan in the library's state file, and is resumed when redelivered
            runner.shutdownNow();
            awaitRunner();
            consumer.close();
        }
    }

    private void process(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Optional<DueEvent> due = read(record);
        if (due.isPresent() && handler.handles(due.get()) && !runToItsEnd(due.get())) {
            consumer.seek(partition, record.offset());
            Instant retryAt = Instant.now().plus(RETRY_AFTER);
            pollPausedWhile(() -> Instant.now().isBefore(retryAt));
            return;
        }
        commit(partition, record.offset() + 1);
    }

    /** True once the run has reported its end; false if it could not report and must be tried again. */
    private boolean runToItsEnd(DueEvent due) {
        Future<?> run = runner.submit(() -> {
            handler.handle(due);
            return null;
        });
        pollPausedWhile(() -> !run.isDone());
        try {
            run.get();
            return true;
        } catch (ExecutionException e) {
            LOG.warn("event=run-unreported runId={} reason=\"{}\" retryIn={}", due.runId(), e.getCause(), RETRY_AFTER);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void pollPausedWhile(BooleanSupplier condition) {
        busy = true;
        consumer.pause(consumer.assignment());
        try {
            while (condition.getAsBoolean()) {
                rewind(consumer.poll(POLL));
            }
        } finally {
            busy = false;
            consumer.resume(consumer.paused());
        }
    }

    /** A paused consumer returns nothing; should a partition slip through a rebalance, its records are read again later. */
    private void rewind(ConsumerRecords<String, byte[]> unexpected) {
        for (TopicPartition partition : unexpected.partitions()) {
            consumer.seek(partition, unexpected.records(partition).get(0).offset());
            consumer.pause(List.of(partition));
        }
    }

    private void commit(TopicPartition partition, long next) {
        try {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // the partition moved on: the new owner gets the event again and sees the run already completed
            LOG.warn("event=commit-failed partition={} offset={} reason=\"{}\"", partition, next, e.toString());
        }
    }

    private static Optional<DueEvent> read(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(DUE.read(record.value()));
        } catch (InvalidRecordException e) {
            LOG.warn("event=unreadable-due-event partition={} offset={} reason=\"{}\"", record.partition(),
                    record.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    private void awaitRunner() {
        try {
            if (!runner.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("event=run-still-stopping");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class PauseWhileBusy implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (busy) {
                consumer.pause(partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // offsets are committed per run, right after it ends; nothing is held back to commit here
        }
    }
}
