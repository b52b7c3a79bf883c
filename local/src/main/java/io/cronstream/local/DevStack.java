package io.cronstream.local;

import io.cronstream.api.ApiSettings;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.CronstreamApp;
import io.cronstream.app.Settings;
import io.cronstream.devstack.LocalStack;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything {@code ./cronstream dev} runs: the local infrastructure and one Cronstream instance
 * on it. Closing stops Cronstream first, so it commits its last transaction while the broker is up.
 */
public final class DevStack implements AutoCloseable {

    /** Ports the stack listens on; 0 picks a free one. */
    public record Ports(int kafka, int mongo, int connect, int api) {
        public static final Ports DEFAULT = new Ports(9092, 27017, 8083, 7070);
        public static final Ports ANY_FREE = new Ports(0, 0, 0, 0);
    }

    private static final int PARTITIONS = 3;

    private final LocalStack infrastructure;
    private final CronstreamService cronstream;
    private final CronstreamApp app;
    private final ApiSettings api;

    private DevStack(LocalStack infrastructure, CronstreamService cronstream, CronstreamApp app, ApiSettings api) {
        this.infrastructure = infrastructure;
        this.cronstream = cronstream;
        this.app = app;
        this.api = api;
    }

    /**
     * @param settings Cronstream settings (e.g. from {@code CRONSTREAM_*}); the stack fills in what
     *                 it decides (brokers, state directory, ports) only where they are not set
     */
    public static DevStack start(Path stateDir, Ports ports, boolean fresh, Settings settings) {
        CronstreamApp topicsOnly = new CronstreamApp(settings);
        LocalStack infrastructure = LocalStack.start(stateDir, new LocalStack.Ports(ports.kafka(), ports.mongo(),
                ports.connect()), fresh, CronstreamTopics.all(topicsOnly.topics(), PARTITIONS));
        try {
            Settings effective = settings.withDefaults(Map.of(
                    "cronstream.bootstrap.servers", infrastructure.kafka().bootstrapServers(),
                    "cronstream.state.dir", stateDir.resolve("streams").toString(),
                    "cronstream.replication.factor", "1",
                    "cronstream.api.mode", "dev",
                    "cronstream.mongo.uri", infrastructure.mongo().connectionString(),
                    "cronstream.connect.url", infrastructure.connect().restUrl().toString(),
                    "cronstream.api.host", "127.0.0.1",
                    "cronstream.api.advertised.host", "localhost",
                    "cronstream.api.port", Integer.toString(ports.api())));
            CronstreamApp app = new CronstreamApp(effective);
            ApiSettings api = CronstreamApp.apiSettings(effective);
            CronstreamService cronstream = new CronstreamService(app, api, Clock.systemUTC()).start();
            return new DevStack(infrastructure, cronstream, app, api.withPort(cronstream.api().port()));
        } catch (RuntimeException e) {
            infrastructure.close();
            throw e;
        }
    }

    public LocalStack infrastructure() {
        return infrastructure;
    }

    public CronstreamService cronstream() {
        return cronstream;
    }

    public CronstreamApp app() {
        return app;
    }

    public ApiSettings api() {
        return api;
    }

    public String apiUrl() {
        return "http://localhost:" + api.port();
    }

    @Override
    public void close() {
        try (infrastructure) {
            cronstream.close();
        }
    }
}
