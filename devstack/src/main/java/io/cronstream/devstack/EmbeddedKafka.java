package io.cronstream.devstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node KRaft broker (combined broker + controller) running in this JVM.
 *
 * <p>Built from {@link Formatter} and {@link KafkaRaftServer} rather than Kafka's test kit so the
 * same code serves tests (random port, throw-away directory) and {@code ./cronstream dev} (port 9092,
 * a directory that survives restarts): the test kit always formats and picks its own ports.
 */
public final class EmbeddedKafka implements AutoCloseable {

    public static final int DEFAULT_PORT = 9092;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final int port;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the broker and returns once it serves clients.
     *
     * @param port    client port; 0 picks a free one
     * @param dataDir log and metadata directory, formatted on first use and reused afterwards
     * @param fresh   wipe {@code dataDir} first
     */
    public static EmbeddedKafka start(int port, Path dataDir, boolean fresh) {
        long started = System.nanoTime();
        int brokerPort = port == 0 ? FreePorts.pick() : port;
        // The controller port is not remembered anywhere (static quorum, kraft.version 0),
        // so it may differ on every start.
        int controllerPort = FreePorts.pick();
        try {
            if (fresh) {
                Utils.delete(dataDir.toFile());
            }
            Files.createDirectories(dataDir);
            formatIfNew(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka data directory " + dataDir, e);
        }
        KafkaRaftServer server = new KafkaRaftServer(
                new KafkaConfig(brokerConfig(brokerPort, controllerPort, dataDir), false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            throw e;
        }
        log.info("Kafka broker on localhost:{} ({}), started in {} ms",
                brokerPort, dataDir, (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedKafka(server, brokerPort);
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(NewTopic... topics) {
        createTopics(Arrays.asList(topics));
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + name, e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while creating topic " + name, e);
                }
            });
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }

    private static void formatIfNew(Path dataDir) throws IOException {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        Formatter formatter = new Formatter()
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dataDir.toString()))
                .setMetadataLogDirectory(dataDir.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                // Stated explicitly: an unset version can resolve to an unstable one.
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()));
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka data directory " + dataDir, e);
        }
    }

    private static Map<String, String> brokerConfig(int brokerPort, int controllerPort, Path dataDir) {
        return Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("listeners", "PLAINTEXT://localhost:" + brokerPort + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", dataDir.toString()),
                Map.entry("metadata.log.dir", dataDir.toString()),
                // One node: every internal topic has one replica, and exactly_once_v2 needs
                // the transaction log's min ISR to be reachable.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                // Creating 50 partitions for each internal topic costs seconds on first use.
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"));
    }
}
