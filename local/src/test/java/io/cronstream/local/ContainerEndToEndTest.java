package io.cronstream.local;

import io.cronstream.api.ApiSettings;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.CronstreamApp;
import io.cronstream.app.Settings;
import io.cronstream.connectors.ContainerStack;
import io.cronstream.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The end-to-end contract against the production pieces in Docker: a real MongoDB replica set,
 * Kafka and a Kafka Connect worker running the committed connector config, with Cronstream in this
 * JVM. Skipped where there is no Docker; {@link DevStackEndToEndTest} covers the same here.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerEndToEndTest extends EndToEndContract {

    private ContainerStack containers;
    private CronstreamService cronstream;

    @Override
    Target start() throws Exception {
        Path dir = Files.createTempDirectory("cronstream-containers");
        Topics topics = Topics.defaults();
        containers = ContainerStack.start(dir, CronstreamTopics.all(topics, 3), mongo -> { });
        Settings settings = Settings.of(QUICK).withDefaults(Map.of(
                "cronstream.bootstrap.servers", containers.bootstrapServers(),
                "cronstream.state.dir", dir.resolve("streams").toString(),
                "cronstream.replication.factor", "1",
                "cronstream.api.mode", "dev",
                "cronstream.api.host", "127.0.0.1",
                "cronstream.api.advertised.host", "localhost",
                "cronstream.api.port", "0"));
        cronstream = new CronstreamService(new CronstreamApp(settings), CronstreamApp.apiSettings(settings), Clock.systemUTC())
                .start();
        return new Target(containers.mongoConnectionString(), containers.bootstrapServers(),
                "http://localhost:" + cronstream.api().port(), topics);
    }

    @Override
    void stop() {
        try (ContainerStack stack = containers) {
            cronstream.close();
        }
    }
}
