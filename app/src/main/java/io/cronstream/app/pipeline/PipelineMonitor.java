package io.cronstream.app.pipeline;

import io.cronstream.api.PipelineStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether change capture works (DESIGN §14), read every {@link ConnectSettings#pollInterval()} on a thread of its
 * own: the connector's state through the Connect REST API, restarting what failed with backoff
 * ({@code POST /connectors/{name}/restart?includeTasks=true&onlyFailed=true}, one log line each), and how long ago
 * the jobs topic took its newest record. {@code /health} shows it; {@code /metrics} has {@code cronstream_connector_up}
 * (1 while the connector and its task run) and {@code cronstream_connector_restarts_total} when a Connect URL is
 * configured. Several instances each restart what
 * failed; Connect takes the second request as a no-op once the first has restarted it.
 */
public final class PipelineMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineMonitor.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

    private final ConnectSettings settings;
    private final Optional<ConnectorRest> connector;
    private final Restarts restarts;
    private final Admin admin;
    private final String jobsTopic;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Counter restartCount;
    private volatile PipelineStatus status;
    private List<TopicPartition> partitions = List.of();

    public PipelineMonitor(ConnectSettings settings, Map<String, Object> clientConfig, String jobsTopic, Clock clock,
            MeterRegistry registry) {
        this.settings = settings;
        this.connector = settings.url().map(url -> new ConnectorRest(url, settings.connector()));
        this.restarts = new Restarts(settings.restartBackoff(), clock);
        this.admin = Admin.create(clientConfig);
        this.jobsTopic = jobsTopic;
        this.clock = clock;
        this.status = new PipelineStatus(connector.isPresent() ? settings.connector() : null,
                PipelineStatus.UNKNOWN, null);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cronstream-pipeline-monitor");
            thread.setDaemon(true);
            return thread;
        });
        if (connector.isPresent()) {
            Gauge.builder("cronstream.connector.up", this, monitor -> monitor.status().up() ? 1 : 0)
                    .description("1 while the connector that feeds the jobs topic and its task run, else 0")
                    .tag("connector", settings.connector())
                    .register(registry);
            this.restartCount = Counter.builder("cronstream.connector.restarts")
                    .description("restarts of the failed connector or task this instance asked Connect for")
                    .tag("connector", settings.connector())
                    .register(registry);
        } else {
            this.restartCount = null;
        }
    }

    public PipelineMonitor start() {
        executor.scheduleWithFixedDelay(this::pollQuietly, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public PipelineStatus status() {
        return status;
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("event=pipeline-poll-failed reason=\"{}\"", e.toString());
        }
    }

    /** Reads the state once, restarting the connector when it failed and its backoff allows. */
    void poll() throws InterruptedException {
        String task = connector.isPresent() ? connector.get().state() : PipelineStatus.UNKNOWN;
        PipelineStatus previous = status;
        status = new PipelineStatus(previous.connector(), task, lastChangeAgeSeconds());
        if (connector.isEmpty()) {
            return;
        }
        if (!task.equals(previous.task())) {
            LOG.atLevel(task.equals(PipelineStatus.RUNNING) ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.WARN)
                    .addKeyValue("event", "connector-state").addKeyValue("connector", settings.connector())
                    .addKeyValue("task", task).addKeyValue("previous", previous.task())
                    .log("event=connector-state connector={} task={} previous={}", settings.connector(), task,
                            previous.task());
        }
        if (restarts.due(task)) {
            boolean accepted = connector.get().restartFailed();
            restartCount.increment();
            LOG.atWarn().addKeyValue("event", "connector-restart").addKeyValue("connector", settings.connector())
                    .addKeyValue("attempt", restarts.attempts()).addKeyValue("accepted", accepted)
                    .addKeyValue("nextRestartIn", restarts.waitAfter())
                    .log("event=connector-restart connector={} attempt={} accepted={} nextRestartIn={}",
                            settings.connector(), restarts.attempts(), accepted, restarts.waitAfter());
        }
    }

    /** Seconds since the newest record on the jobs topic; null while it has none or the broker does not answer. */
    private Long lastChangeAgeSeconds() throws InterruptedException {
        try {
            if (partitions.isEmpty()) {
                partitions = admin.describeTopics(List.of(jobsTopic)).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(jobsTopic).partitions().stream()
                        .map(p -> new TopicPartition(jobsTopic, p.partition())).toList();
            }
            ListOffsetsResult newest = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.maxTimestamp())));
            long timestamp = -1;
            for (TopicPartition partition : partitions) {
                timestamp = Math.max(timestamp, newest.partitionResult(partition)
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).timestamp());
            }
            return timestamp < 0 ? null : Math.max(0, (clock.millis() - timestamp) / 1000);
        } catch (ExecutionException | TimeoutException | KafkaException unavailable) {
            return null;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        admin.close(ADMIN_TIMEOUT);
    }
}
