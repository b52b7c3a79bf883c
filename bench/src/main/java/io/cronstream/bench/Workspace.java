package io.cronstream.bench;

import io.cronstream.devstack.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Utils;

/**
 * A throw-away directory for one benchmark run, and the embedded broker the ticker, progress and API
 * benchmarks share (started on first use: starting one costs seconds).
 */
final class Workspace implements AutoCloseable {

    private final Path root;
    private EmbeddedKafka broker;

    private Workspace(Path root) {
        this.root = root;
    }

    static Workspace create() {
        try {
            return new Workspace(Files.createTempDirectory("cronstream-bench-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /** A new, empty directory under the workspace. */
    Path dir(String name) {
        try {
            return Files.createTempDirectory(root, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory under " + root, e);
        }
    }

    synchronized EmbeddedKafka broker() {
        if (broker == null) {
            broker = EmbeddedKafka.start(0, root.resolve("kafka"), true);
        }
        return broker;
    }

    /** Creates the topics on the shared broker and returns once each partition has a leader. */
    void createTopics(List<NewTopic> topics) {
        broker().createTopics(topics);
        Kafka.awaitLeaders(broker().bootstrapServers(), topics.stream().map(NewTopic::name).toList());
    }

    @Override
    public synchronized void close() {
        if (broker != null) {
            broker.close();
        }
        try {
            Utils.delete(root.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
