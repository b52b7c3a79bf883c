package io.cronstream.bench;

import io.cronstream.api.ApiSettings;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.CronstreamApp;
import io.cronstream.app.Settings;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Benchmark 5: {@code GET /api/v1/runs/{runId}} of a whole Cronstream service (Kafka Streams with
 * ticker and progress, interactive query, Jackson, Javalin) under load on loopback, against a bare
 * Javalin route answering the very same bytes: what the query and the JSON cost on top of HTTP.
 */
final class ApiBench {

    static final String NAME = "5. API";

    private static final String RUN_ID = "bench-api-job@1767225600000";
    private static final Duration STARTUP = Duration.ofMinutes(2);
    private static final JsonCodec<StageProgressEvent> EVENTS = JsonCodec.of(StageProgressEvent.class);

    /** @param duration measured load per server; @param warmup load before it, not counted */
    record Sizes(Duration duration, Duration warmup, int connections) {
        static Sizes of(boolean quick) {
            return quick ? new Sizes(Duration.ofSeconds(2), Duration.ofSeconds(1), 4)
                    : new Sizes(Duration.ofSeconds(20), Duration.ofSeconds(5), 16);
        }
    }

    private final Workspace workspace;
    private final Report report;
    private final Sizes sizes;

    ApiBench(Workspace workspace, Report report, boolean quick) {
        this.workspace = workspace;
        this.report = report;
        this.sizes = Sizes.of(quick);
    }

    void run() throws Exception {
        System.out.println("api: starting a Cronstream service");
        String bootstrap = workspace.broker().bootstrapServers();
        int port = freePort();
        Settings settings = Settings.of(Map.ofEntries(
                Map.entry("cronstream.application.id", "bench-api"),
                Map.entry("cronstream.bootstrap.servers", bootstrap),
                Map.entry("cronstream.state.dir", workspace.dir("bench-api").toString()),
                Map.entry("cronstream.replication.factor", "1"),
                Map.entry("cronstream.topic.prefix", "bench-api."),
                Map.entry("cronstream.api.host", "127.0.0.1"),
                Map.entry("cronstream.api.advertised.host", "127.0.0.1"),
                Map.entry("cronstream.api.port", Integer.toString(port)),
                Map.entry("cronstream.api.token", "bench-token"),
                // Reads open, as in dev: production asks every /api/v1 read for a token, the bare route checks none.
                Map.entry("cronstream.api.mode", "dev")));
        CronstreamApp app = new CronstreamApp(settings);
        workspace.createTopics(app.topics().all().stream().map(t -> new NewTopic(t, 1, (short) 1)).toList());
        URI cronstreamUrl = URI.create("http://127.0.0.1:" + port + "/api/v1/runs/" + RUN_ID);
        try (CronstreamService service = new CronstreamService(app, CronstreamApp.apiSettings(settings), Clock.systemUTC())) {
            service.start();
            awaitReady(service, port);
            reportProgress(bootstrap, app.topics().stageProgress());
            byte[] body = awaitRun(cronstreamUrl);
            Javalin bare = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.routes.get("/api/v1/runs/{runId}", ctx -> ctx.contentType("application/json").result(body));
            }).start("127.0.0.1", 0);
            try {
                URI bareUrl = URI.create("http://127.0.0.1:" + bare.port() + "/api/v1/runs/" + RUN_ID);
                measure(cronstreamUrl, bareUrl, body.length);
            } finally {
                bare.stop();
            }
        }
    }

    private void measure(URI cronstreamUrl, URI bareUrl, int bodyBytes) {
        LoadGenerator warmup = new LoadGenerator(sizes.connections(), sizes.warmup());
        LoadGenerator load = new LoadGenerator(sizes.connections(), sizes.duration());
        System.out.println("api: " + load.description());
        warmup.run(cronstreamUrl);
        warmup.run(bareUrl);
        LoadGenerator.Result cronstream = load.run(cronstreamUrl);
        LoadGenerator.Result bare = load.run(bareUrl);
        String baseline = "bare Javalin, same bytes";
        String counts = String.format(Locale.ROOT, "%,d requests, %d errors (bare: %,d, %d)", cronstream.requests(),
                cronstream.errors(), bare.requests(), bare.errors());
        report.add(Row.against(NAME, "GET /api/v1/runs/{runId}, requests/s", cronstream.requestsPerSecond(), "req/s",
                baseline, bare.requestsPerSecond(), counts));
        report.add(Row.against(NAME, "GET /api/v1/runs/{runId}, latency p50", cronstream.p50Ms(), "ms", baseline,
                bare.p50Ms(), String.format(Locale.ROOT, "answer %,d bytes", bodyBytes)));
        report.add(Row.against(NAME, "GET /api/v1/runs/{runId}, latency p99", cronstream.p99Ms(), "ms", baseline,
                bare.p99Ms(), ""));
        report.note(NAME, "Load: " + load.description() + ", after a " + sizes.warmup().toSeconds() + " s warm-up of "
                + "each, on loopback; the generator shares the 2 cores with the server, as it would in any "
                + "single-machine test. Cronstream = the whole service (`CronstreamService`: ticker and progress in "
                + "Kafka Streams, exactly_once_v2, Javalin " + javalinVersion() + ") on the embedded broker, answering "
                + "one run with 3 stages from `progress-runs` by interactive query on every request; bare = a "
                + "Javalin route returning those same bytes as a constant.");
    }

    /** Three stages under way, as a worker reports them. */
    private static void reportProgress(String bootstrap, String topic) {
        Instant at = Instant.now();
        List<StageProgressEvent> events = List.of(
                event(ProgressKind.RUN_STARTED, null, null, null, at),
                event(ProgressKind.STAGE_STARTED, "scan", 12_000L, null, at),
                event(ProgressKind.PROGRESS, "scan", null, 12_000L, at),
                event(ProgressKind.STAGE_STARTED, "thumbnail", 12_000L, null, at),
                event(ProgressKind.PROGRESS, "thumbnail", null, 7_345L, at),
                event(ProgressKind.STAGE_STARTED, "cache", 12_000L, null, at),
                event(ProgressKind.PROGRESS, "cache", null, 2_016L, at));
        try (Kafka.Writer producer = new Kafka.Writer(bootstrap)) {
            for (StageProgressEvent event : events) {
                producer.send(topic, RUN_ID.getBytes(StandardCharsets.UTF_8), EVENTS.write(event));
            }
        }
    }

    private static StageProgressEvent event(ProgressKind kind, String stage, Long total, Long completed, Instant at) {
        return new StageProgressEvent(RUN_ID, kind == ProgressKind.RUN_STARTED ? "bench-api-job" : null,
                kind == ProgressKind.RUN_STARTED ? "library-scan" : null, stage, kind, total, null, completed, null,
                null, at, null);
    }

    private static void awaitReady(CronstreamService service, int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (service.streams().state() != KafkaStreams.State.RUNNING
                || client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Cronstream service not ready within " + STARTUP);
            }
            StreamsRun.sleep(100);
        }
    }

    /** The answer for the run once its last stage is in. */
    private static byte[] awaitRun(URI url) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200 && new String(response.body(), StandardCharsets.UTF_8).contains("\"cache\"")) {
                return response.body();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + RUN_ID + " not served within " + STARTUP + ": "
                        + response.statusCode());
            }
            StreamsRun.sleep(100);
        }
    }

    private static String javalinVersion() {
        Package javalin = Javalin.class.getPackage();
        return javalin.getImplementationVersion() != null ? javalin.getImplementationVersion() : "7";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
