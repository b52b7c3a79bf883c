package io.cronstream.bench;

import io.cronstream.api.ApiException;
import io.cronstream.api.ApiServer;
import io.cronstream.api.ApiSettings;
import io.cronstream.api.Cluster;
import io.cronstream.api.CommandSink;
import io.cronstream.api.StoreNames;
import io.cronstream.api.StoreProvider;
import io.cronstream.app.CronstreamApp;
import io.cronstream.app.Settings;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.UnknownStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Benchmark 7: what a read costs as the stored runs grow (issue 14: reads cost what they return).
 * {@code GET /metrics} and {@code GET /api/v1/runs?limit=100} of the real API over the whole Cronstream
 * topology's RocksDB stores, with a thousand runs stored and then, in the same stores and JVM, a million.
 * The runs are written through a TopologyTestDriver (one RUN_STARTED each, through the real progress
 * topology), as the stuck-scan benchmark builds its million: through a broker it would take far longer,
 * and neither read touches the broker.
 */
final class ReadScaleBench {

    static final String NAME = "7. reads at scale";

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String TOKEN = "bench-token";
    private static final JsonCodec<StageProgressEvent> EVENTS = JsonCodec.of(StageProgressEvent.class);
    private static final List<String> PATHS = List.of("/metrics", "/api/v1/runs?limit=100");

    /**
     * @param small    the baseline's stored runs
     * @param large    the measured case's
     * @param warmup   requests not counted, at most
     * @param requests requests measured per case, at most
     * @param budget   time each case's warm-up, then its measurement, may take; at least 3 requests are measured
     */
    record Sizes(int small, int large, int warmup, int requests, Duration budget) {
        static Sizes of(boolean quick) {
            return quick ? new Sizes(100, 2_000, 5, 20, Duration.ofSeconds(5))
                    : new Sizes(1_000, 1_000_000, 100, 1_000, Duration.ofSeconds(30));
        }
    }

    /** One path's answers at one size. */
    private record Measured(Percentiles nanos, int bytes) {
    }

    private final Workspace workspace;
    private final Report report;
    private final Sizes sizes;

    ReadScaleBench(Workspace workspace, Report report, boolean quick) {
        this.workspace = workspace;
        this.report = report;
        this.sizes = Sizes.of(quick);
    }

    void run() throws Exception {
        CronstreamApp app = new CronstreamApp(Settings.of(Map.of()));
        Properties props = app.streamsProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-reads");
        props.put(StreamsConfig.STATE_DIR_CONFIG, workspace.dir("reads").toString());
        ApiSettings settings = new ApiSettings("127.0.0.1", 0, "127.0.0.1", Optional.of(TOKEN),
                ApiSettings.Mode.PRODUCTION, 4096, Duration.ofSeconds(2), Duration.ofMinutes(1));
        try (TopologyTestDriver driver = new TopologyTestDriver(app.topology(), props, T0);
                ApiServer api = new ApiServer(settings, new SingleInstance(), new DriverStores(driver), StoreNames.ALL,
                        new NoCommands(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())
                        .start()) {
            TestInputTopic<byte[], byte[]> progress = driver.createInputTopic(app.topics().stageProgress(),
                    new ByteArraySerializer(), new ByteArraySerializer(), T0, Duration.ZERO);
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + api.port();

            startRuns(driver, progress, 0, sizes.small());
            Map<String, Measured> small = measureAll(client, base);
            System.out.printf(Locale.ROOT, "reads: writing %,d more runs through a TopologyTestDriver%n",
                    sizes.large() - sizes.small());
            long fillStart = System.nanoTime();
            startRuns(driver, progress, sizes.small(), sizes.large());
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            Map<String, Measured> large = measureAll(client, base);

            String baseline = String.format(Locale.ROOT, "same call, %,d runs", sizes.small());
            for (String path : PATHS) {
                Measured at = large.get(path);
                Measured was = small.get(path);
                report.add(Row.against(NAME, String.format(Locale.ROOT, "GET %s, %,d runs, time per request", path,
                        sizes.large()), at.nanos().p50() / 1e6, "ms", baseline, was.nanos().p50() / 1e6,
                        String.format(Locale.ROOT, "p99 %.2f ms (baseline %.2f ms), %,d requests (baseline %,d)",
                                at.nanos().p99() / 1e6, was.nanos().p99() / 1e6, at.nanos().count(),
                                was.nanos().count())));
                report.add(Row.against(NAME, String.format(Locale.ROOT, "GET %s, %,d runs, answer size", path,
                        sizes.large()), at.bytes(), "bytes", baseline, (double) was.bytes(), ""));
            }
            report.note(NAME, String.format(Locale.ROOT, "The real API (`ApiServer`: routes, `LocalStores`, Jackson, "
                    + "Javalin) answering from the RocksDB stores of the whole Cronstream topology (ticker and "
                    + "progress, exactly_once_v2 config) run by a TopologyTestDriver, as one instance owning every "
                    + "partition. The runs are written through the driver, one RUN_STARTED stage-progress event per "
                    + "run (so every run is RUNNING and counted in `progress-run-counts`); the last %,d took %.0f s. "
                    + "Both sizes are measured in the same stores and JVM, the small one first; each figure is the "
                    + "median of sequential requests over one HTTP/1.1 client (up to %,d, or as many as fit in %d s, "
                    + "at least 3), after up to %d not counted (at most %d s). The answer size is the body's bytes.",
                    sizes.large() - sizes.small(), fillSeconds, sizes.requests(), sizes.budget().toSeconds(),
                    sizes.warmup(), sizes.budget().toSeconds()));
        }
    }

    private Map<String, Measured> measureAll(HttpClient client, String base) throws Exception {
        Map<String, Measured> result = new java.util.LinkedHashMap<>();
        for (String path : PATHS) {
            result.put(path, measure(client, URI.create(base + path)));
        }
        return result;
    }

    private Measured measure(HttpClient client, URI uri) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TOKEN).build();
        int bytes = -1;
        long warmupEnd = System.nanoTime() + sizes.budget().toNanos();
        for (int i = 0; i < sizes.warmup() && System.nanoTime() < warmupEnd; i++) {
            bytes = send(client, request).length;
        }
        LongSamples nanos = new LongSamples();
        long end = System.nanoTime() + sizes.budget().toNanos();
        while (nanos.size() < 3 || nanos.size() < sizes.requests() && System.nanoTime() < end) {
            long start = System.nanoTime();
            bytes = send(client, request).length;
            nanos.add(System.nanoTime() - start);
        }
        System.out.printf(Locale.ROOT, "reads: %s, %d requests, median %.2f ms%n", uri.getPath(), nanos.size(),
                nanos.percentiles().p50() / 1e6);
        return new Measured(nanos.percentiles(), bytes);
    }

    private static byte[] send(HttpClient client, HttpRequest request) throws Exception {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    /** Starts runs {@code from} (inclusive) to {@code to} (exclusive). */
    private static void startRuns(TopologyTestDriver driver, TestInputTopic<byte[], byte[]> progress, int from, int to) {
        for (int i = from; i < to; i++) {
            String runId = "run-" + i;
            progress.pipeInput(runId.getBytes(StandardCharsets.UTF_8), EVENTS.write(new StageProgressEvent(runId,
                    null, null, null, ProgressKind.RUN_STARTED, null, null, null, null, null, T0, null)));
            if (i % 10_000 == 9_999) {
                drain(driver);
            }
        }
        drain(driver);
    }

    /** The driver keeps everything it produced in memory until read; a million runs would not fit. */
    private static void drain(TopologyTestDriver driver) {
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        for (String topic : driver.producedTopicNames()) {
            driver.createOutputTopic(topic, bytes, bytes).readRecordsToList();
        }
    }

    /** One instance owns everything. */
    private static final class SingleInstance implements Cluster {

        private static final HostInfo SELF = new HostInfo("127.0.0.1", 1);

        @Override
        public HostInfo self() {
            return SELF;
        }

        @Override
        public Owner owner(String store, String key) {
            return new Owner(SELF, 0, true);
        }

        @Override
        public List<HostInfo> hosts(String store) {
            return List.of(SELF);
        }

        @Override
        public String state() {
            return "RUNNING";
        }

        @Override
        public boolean running() {
            return true;
        }

        @Override
        public boolean live() {
            return true;
        }
    }

    /** The driver's own stores; the driver has one partition. */
    private record DriverStores(TopologyTestDriver driver) implements StoreProvider {

        @Override
        public List<Integer> partitions(String store) {
            return List.of(0);
        }

        @Override
        public <V> ReadOnlyKeyValueStore<String, V> all(String store) {
            KeyValueStore<String, V> found = driver.getKeyValueStore(store);
            if (found == null) {
                throw new UnknownStateStoreException("no store " + store);
            }
            return found;
        }

        @Override
        public <V> ReadOnlyKeyValueStore<String, V> partition(String store, int partition) {
            return all(store);
        }

        @Override
        public <V> ReadOnlyKeyValueStore<String, V> global(String store) {
            return all(store);
        }
    }

    /** Nothing here writes. */
    private static final class NoCommands implements CommandSink {

        @Override
        public void send(Command command) {
            throw ApiException.unavailable("the read benchmark takes no commands");
        }

        @Override
        public void close() {
        }
    }
}
