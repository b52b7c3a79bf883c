package io.cronstream.workers.scan;

import io.cronstream.workers.kafka.Flags;
import io.cronstream.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code worker --output <folder>}: runs due LibraryScan jobs until stopped. */
public final class WorkerMain {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

    static final String USAGE = """
            usage: worker [options]
              --bootstrap <host:port,...>   Kafka (default localhost:9092)
              --output <folder>             thumbnails, cache copies and scan state (default .cronstream/worker)
              --group <id>                  consumer group (default cronstream-library-scan)
              --offset-reset <latest|earliest>  where a new group starts reading due jobs (default latest)
              --heartbeat <ISO duration>    liveness report while one file takes long (default PT10S)
              --topic-prefix <prefix>       topic names prefix (default cronstream.)
            """;

    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        WorkerSettings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("worker: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        System.setProperty("java.awt.headless", "true");
        ScanWorker worker = ScanWorker.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "worker-shutdown"));
        LOG.info("event=worker-started jobType={} topic={} group={} output={}", LibraryScanJob.JOB_TYPE,
                settings.topics().jobDue(), settings.group(), settings.output().toAbsolutePath());
    }

    static WorkerSettings parse(String[] args) {
        Flags flags = Flags.parse(args, Map.of("bootstrap", 1, "output", 1, "group", 1, "offset-reset", 1,
                "heartbeat", 1, "topic-prefix", 1));
        WorkerSettings settings = WorkerSettings.of(flags.value("bootstrap", "localhost:9092"),
                        Path.of(flags.value("output", ".cronstream/worker")),
                        flags.value("group", "cronstream-library-scan"))
                .withOffsetReset(flags.value("offset-reset", "latest"))
                .withTopics(Topics.withPrefix(flags.value("topic-prefix", "cronstream.")));
        String heartbeat = flags.value("heartbeat", "PT10S");
        try {
            return settings.withHeartbeatInterval(Duration.parse(heartbeat));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--heartbeat '" + heartbeat + "' is not an ISO-8601 duration such as PT10S");
        }
    }
}
