package io.cronstream.devstack;

import io.cronstream.connectors.ConnectorDefinition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect standalone worker in this JVM, with its REST API, running connectors from
 * {@link ConnectorDefinition}s. Source offsets (for the Mongo connector: the change-stream resume
 * token) live in a file under the data directory, so a restarted worker carries on where it stopped.
 *
 * <p>Connectors are found through {@link java.util.ServiceLoader} ({@code plugin.discovery=service_load}),
 * which takes about a second where a classpath scan takes ten or more.
 */
public final class EmbeddedConnect implements AutoCloseable {

    /** The environment variables connector configs may reference ({@code ${env:NAME}}). */
    public static final String ENV_ALLOWLIST = "CRONSTREAM_MONGO_.*";

    public static final int DEFAULT_REST_PORT = 8083;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedConnect.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final Connect<StandaloneHerder> connect;

    private EmbeddedConnect(Connect<StandaloneHerder> connect) {
        this.connect = connect;
    }

    /** The worker's settings. */
    static Map<String, String> workerConfig(String bootstrapServers, int restPort, Path offsets) {
        return Map.ofEntries(
                Map.entry("bootstrap.servers", bootstrapServers),
                Map.entry("listeners", "http://localhost:" + restPort),
                Map.entry("offset.storage.file.filename", offsets.toString()),
                // Offsets are also written on a clean stop; this bounds what a crash replays.
                Map.entry("offset.flush.interval.ms", "1000"),
                Map.entry("plugin.discovery", "service_load"),
                // Kafka 4 producers wait 5 ms to fill batches; a local stack wants each change at once.
                Map.entry("producer.linger.ms", "0"),
                Map.entry("key.converter", StringConverter.class.getName()),
                Map.entry("value.converter", StringConverter.class.getName()),
                // The connector raises its producer's record limit to what its pipeline lets through (see
                // connectors/README.md); a connector config may override that one producer setting and nothing else.
                Map.entry("connector.client.config.override.policy", "Allowlist"),
                Map.entry("connector.client.config.override.allowlist", "max.request.size"),
                // Connector files reference their secrets as ${env:NAME}, as in production; only the
                // connector's own variables: a connector config posted to the REST API cannot read the others.
                Map.entry("config.providers", "env"),
                Map.entry("config.providers.env.class", EnvVarConfigProvider.class.getName()),
                Map.entry("config.providers.env.param." + EnvVarConfigProvider.ALLOWLIST_PATTERN_CONFIG,
                        ENV_ALLOWLIST));
    }

    /**
     * Starts the worker and the connectors, and returns once every connector task runs (a Mongo
     * source task runs once its change stream is open, so later writes are not missed).
     *
     * @param restPort REST API port; 0 picks a free one
     * @param dataDir  where the offsets file lives
     * @param fresh    forget stored offsets: connectors start over (the Mongo source copies existing documents again)
     */
    public static EmbeddedConnect start(String bootstrapServers, int restPort, Path dataDir, boolean fresh,
                                        List<ConnectorDefinition> connectors) {
        long started = System.nanoTime();
        Path offsets = dataDir.resolve("connect.offsets");
        try {
            Files.createDirectories(dataDir);
            if (fresh) {
                Files.deleteIfExists(offsets);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Connect data directory " + dataDir, e);
        }
        Map<String, String> worker = workerConfig(bootstrapServers, restPort, offsets);
        Connect<StandaloneHerder> connect = startWorker(worker);
        EmbeddedConnect embedded = new EmbeddedConnect(connect);
        try {
            connectors.forEach(embedded::putConnector);
            connect.herder().ready();
            connectors.forEach(connector -> embedded.awaitRunning(connector.name(), STARTUP_TIMEOUT));
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
        log.info("Kafka Connect worker at {} running {}, started in {} ms", embedded.restUrl(),
                connectors.stream().map(ConnectorDefinition::name).toList(), (System.nanoTime() - started) / 1_000_000);
        return embedded;
    }

    /** The REST API, e.g. {@code http://localhost:8083/}. */
    public URI restUrl() {
        return connect.rest().advertisedUrl();
    }

    /** The connector's and its tasks' states, as {@code GET /connectors/{name}/status} shows them. */
    public ConnectorStateInfo status(String connector) {
        return connect.herder().connectorStatus(connector);
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }

    private static Connect<StandaloneHerder> startWorker(Map<String, String> worker) {
        // Plugin loading swaps this thread's context class loader for Connect's; give it back.
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        try {
            return new ConnectStandalone().startConnect(worker);
        } finally {
            thread.setContextClassLoader(caller);
        }
    }

    private void putConnector(ConnectorDefinition connector) {
        FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
        connect.herder().putConnectorConfig(connector.name(), connector.workerConfig(), true, created);
        try {
            created.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Connector " + connector.name() + " rejected: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Connector " + connector.name() + " not created within " + STARTUP_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating connector " + connector.name(), e);
        }
    }

    private void awaitRunning(String connector, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ConnectorStateInfo status = currentStatus(connector);
            if (status != null) {
                failure(status).ifPresent(trace -> {
                    throw new IllegalStateException("Connector " + connector + " failed: " + trace);
                });
                if (running(status)) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Connector " + connector + " not running within " + timeout + ": " + status);
            }
            try {
                // the herder offers no status listener; task start-up takes a few hundred ms
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting connector " + connector, e);
            }
        }
    }

    private ConnectorStateInfo currentStatus(String connector) {
        try {
            return status(connector);
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static boolean running(ConnectorStateInfo status) {
        return "RUNNING".equals(status.connector().state()) && !status.tasks().isEmpty()
                && status.tasks().stream().allMatch(task -> "RUNNING".equals(task.state()));
    }

    private static Optional<String> failure(ConnectorStateInfo status) {
        if ("FAILED".equals(status.connector().state())) {
            return Optional.ofNullable(status.connector().trace());
        }
        return status.tasks().stream().filter(task -> "FAILED".equals(task.state()))
                .map(ConnectorStateInfo.TaskState::trace).findFirst();
    }
}
