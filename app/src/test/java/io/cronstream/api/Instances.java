package io.cronstream.api;

import static org.awaitility.Awaitility.await;

import io.cronstream.app.CronstreamApp;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.Settings;
import io.cronstream.devstack.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;

/** Settings and small probes for Cronstream instances that tests run on an embedded broker. */
final class Instances {

    private Instances() {
    }

    /**
     * An instance's settings: its own state directory and API port on loopback, the harness token, quick commits
     * and no store cache (so a test sees each change at once), then {@code extra} on top.
     */
    static Settings settings(String applicationId, String bootstrapServers, Path stateDir, int port,
            Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "cronstream.application.id", applicationId,
                "cronstream.bootstrap.servers", bootstrapServers,
                "cronstream.state.dir", stateDir.toString(),
                "cronstream.replication.factor", "1",
                "cronstream.api.host", "127.0.0.1",
                "cronstream.api.advertised.host", "127.0.0.1",
                "cronstream.api.port", Integer.toString(port),
                "cronstream.api.token", DriverHarness.TOKEN,
                "cronstream.kafka.commit.interval.ms", "100",
                "cronstream.kafka.statestore.cache.max.bytes", "0"));
        settings.putAll(extra);
        return Settings.of(settings);
    }

    /**
     * Creates every topic of {@code app} with {@code partitions} partitions, then starts the service and waits until
     * its streams are RUNNING.
     */
    static CronstreamService start(EmbeddedKafka kafka, CronstreamApp app, Settings settings, int partitions) {
        kafka.createTopics(app.topics().all().stream().map(topic -> new NewTopic(topic, partitions, (short) 1)).toList());
        CronstreamService service = new CronstreamService(app, CronstreamApp.apiSettings(settings), Clock.systemUTC())
                .start();
        await().atMost(Duration.ofSeconds(90)).until(() -> running(service));
        return service;
    }

    /** Closes each in order, skipping those never made; the first failure stops the test class. */
    static void closeAll(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static boolean running(CronstreamService service) {
        return service.streams().state() == KafkaStreams.State.RUNNING;
    }

    static String url(CronstreamService service, String path) {
        return "http://127.0.0.1:" + service.api().port() + path;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
