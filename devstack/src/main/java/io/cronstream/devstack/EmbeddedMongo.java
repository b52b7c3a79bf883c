package io.cronstream.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoServer;

/**
 * A MongoDB wire-protocol server in this JVM ({@link CompatibleMongoBackend}), for tests and
 * {@code ./cronstream dev}. It reports itself as a standalone MongoDB 5.0 server.
 */
public final class EmbeddedMongo implements AutoCloseable {

    public static final int DEFAULT_PORT = 27017;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);
    // Each connection is served by one event-loop thread, and a waiting change-stream getMore holds
    // its thread: with a thread per connection no client waits behind another's getMore.
    private static final int EVENT_LOOP_THREADS = 16;

    private final MongoServer server;
    private final int port;

    private EmbeddedMongo(MongoServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Data in memory only. {@code port} 0 picks a free one. */
    public static EmbeddedMongo inMemory(int port) {
        return start(CompatibleMongoBackend.inMemory(), port, "in memory");
    }

    /**
     * Data in an H2 file under {@code dataDir}, kept across restarts.
     *
     * @param fresh wipe {@code dataDir} first
     */
    public static EmbeddedMongo persistent(int port, Path dataDir, boolean fresh) {
        try {
            if (fresh) {
                Utils.delete(dataDir.toFile());
            }
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare MongoDB data directory " + dataDir, e);
        }
        Path file = dataDir.resolve("mongo.mv.db");
        return start(CompatibleMongoBackend.h2(file), port, file.toString());
    }

    private static EmbeddedMongo start(CompatibleMongoBackend backend, int port, String storage) {
        long started = System.nanoTime();
        MongoServer server = new MongoServer(backend);
        // on failure, bind has closed the backend already
        server.bind(new InetSocketAddress("localhost", port), 1, EVENT_LOOP_THREADS);
        int boundPort = server.getLocalAddress().getPort();
        log.info("MongoDB-compatible server on localhost:{} ({}), started in {} ms",
                boundPort, storage, (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedMongo(server, boundPort);
    }

    /** {@code mongodb://localhost:<port>}. */
    public String connectionString() {
        return "mongodb://localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** Closes client connections and the backend (an H2 file is flushed and closed). */
    @Override
    public void close() {
        server.shutdownNow();
    }
}
