package io.cronstream.workers.scan;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves a run alive while one item takes long (a huge image): without it, a run busy for longer than its
 * job's stuckAfter would be flagged stuck although it is working.
 */
final class Heartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    /** Stops the beats of one item. */
    interface Beats extends AutoCloseable {
        @Override
        void close();
    }

    private final Duration interval;
    private final ScheduledExecutorService scheduler;

    Heartbeat(Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("heartbeat interval must be positive, got " + interval);
        }
        this.interval = interval;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "scan-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code beat} every interval until the returned handle is closed; nothing if the item is quick. */
    Beats during(Runnable beat) {
        long millis = interval.toMillis();
        ScheduledFuture<?> beats = scheduler.scheduleAtFixedRate(() -> {
            try {
                beat.run();
            } catch (RuntimeException e) {
                // a failed beat must not cancel the later ones
                LOG.warn("event=heartbeat-failed reason=\"{}\"", e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
        return () -> beats.cancel(false);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
