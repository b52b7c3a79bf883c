package io.cronstream.workers.watch;

import io.cronstream.workers.kafka.Producers;
import java.time.Clock;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code watch --library <libraryId> <folder>}: publishes the folder's file changes until stopped. */
public final class WatchMain {

    private static final Logger LOG = LoggerFactory.getLogger(WatchMain.class);

    private WatchMain() {
    }

    public static void main(String[] args) throws Exception {
        WatchOptions options;
        try {
            options = WatchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("watch: " + e.getMessage());
            System.err.print(WatchOptions.USAGE);
            System.exit(2);
            return;
        }
        WatchSettings settings = options.settings();
        Producer<String, byte[]> producer = Producers.idempotent(options.bootstrapServers(),
                "cronstream-watch-" + settings.libraryId());
        LibraryWatcher watcher = new LibraryWatcher(settings,
                new KafkaChangeSink(producer, options.topics().fileChanges()), Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watcher.close();
            producer.close();
        }, "watch-shutdown"));
        watcher.start();
        LOG.info("event=watching libraryId={} folder={} topic={} stateFile={}", settings.libraryId(),
                settings.folder().root(), options.topics().fileChanges(), settings.stateFile());
    }
}
