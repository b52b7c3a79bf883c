package io.cronstream.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cronstream.schemas.Json;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.JobState;
import io.cronstream.ticker.job.Notify;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API and dashboard (DESIGN §7): every route in {@link #routes}, each handler a few lines. */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final int MAX_REQUEST_HEADER_BYTES = 32 * 1024;
    private static final long MAX_DRAINED_BYTES = 1024 * 1024;

    private final ApiSettings settings;
    private final Javalin app;
    private final Router router;
    private final LocalStores stores;
    private final ObjectMapper mapper;

    /**
     * @param requiredStores the stores {@code /ready} waits for
     */
    public ApiServer(ApiSettings settings, Cluster cluster, StoreProvider storeProvider, List<String> requiredStores,
            CommandSink commands, PrometheusMeterRegistry registry, Clock clock) {
        this(settings, cluster, storeProvider, requiredStores, commands, registry, clock, Optional.empty(),
                new JobDefinitionParser(JobDefinitionParser.Defaults.standard()));
    }

    /**
     * @param mongo  where job writes go; without it the write routes answer 503 and reads keep working
     * @param parser the ticker's parser (with the application's defaults): writes are validated exactly as
     *               the ticker will read them
     */
    public ApiServer(ApiSettings settings, Cluster cluster, StoreProvider storeProvider, List<String> requiredStores,
            CommandSink commands, PrometheusMeterRegistry registry, Clock clock, Optional<MongoJobs> mongo,
            JobDefinitionParser parser) {
        this(settings, cluster, storeProvider, requiredStores, commands, registry, clock, mongo, parser,
                () -> PipelineStatus.UNWATCHED);
    }

    /** @param pipeline change capture's state ({@code /health} and the dashboard's banner) */
    public ApiServer(ApiSettings settings, Cluster cluster, StoreProvider storeProvider, List<String> requiredStores,
            CommandSink commands, PrometheusMeterRegistry registry, Clock clock, Optional<MongoJobs> mongo,
            JobDefinitionParser parser, Supplier<PipelineStatus> pipeline) {
        this.settings = settings;
        // Every field of DESIGN §7 is present in every answer, null when unknown.
        ObjectMapper mapper = Json.create().setSerializationInclusion(JsonInclude.Include.ALWAYS);
        LocalStores stores = new LocalStores(storeProvider);
        ApiMetrics metrics = new ApiMetrics(registry, stores);
        Access access = new Access(settings);
        PeerAuth peerAuth = PeerAuth.of(settings, clock);
        Router router = new Router(cluster, new Peers(settings.peerTimeout(), cluster.self(), peerAuth), mapper);
        this.router = router;
        this.stores = stores;
        this.mapper = mapper;

        JobRoutes jobs = new JobRoutes(router, stores);
        ChangeTrail trail = new ChangeTrail(mongo, clock);
        JobWriteRoutes writes = new JobWriteRoutes(access, mongo, parser,
                new AppliedWait(router, stores, mapper, settings.writeWait(), clock), mapper, clock, trail);
        PreviewRoute preview = new PreviewRoute(access, new PreviewLimiter(settings.previewRate(), clock), parser, mapper,
                clock);
        RunRoutes runs = new RunRoutes(router, stores, mapper);
        AlertRoutes alerts = new AlertRoutes(router, stores);
        LibraryRoutes libraries = new LibraryRoutes(router, stores);
        TriggerRoute trigger = new TriggerRoute(access, router, stores,
                new TriggerLimiter(settings.triggerInterval(), clock), commands, metrics, mapper, trail);
        StatusRoutes status = new StatusRoutes(cluster, stores, requiredStores, metrics, pipeline);

        this.app = Javalin.create(cfg -> {
            configure(cfg, mapper);
            guard(cfg, access, peerAuth);
            routes(cfg, jobs, runs, libraries, trigger, status);
            cfg.routes.get("/api/v1/alerts", alerts::list);
            writeRoutes(cfg, writes, preview);
            errors(cfg);
        });
    }

    private static void routes(JavalinConfig cfg, JobRoutes jobs, RunRoutes runs, LibraryRoutes libraries,
            TriggerRoute trigger, StatusRoutes status) {
        cfg.routes.get("/api/v1/jobs", jobs::list);
        cfg.routes.get("/api/v1/jobs/{jobId}", jobs::one);
        cfg.routes.get("/api/v1/jobs/{jobId}/next", jobs::next);
        cfg.routes.get("/api/v1/jobs/{jobId}/runs", jobs::history);
        cfg.routes.post("/api/v1/jobs/{jobId}/trigger", trigger::trigger);
        cfg.routes.get("/api/v1/runs", runs::list);
        cfg.routes.get("/api/v1/runs/{runId}", runs::one);
        cfg.routes.get("/api/v1/stuck", runs::stuck);
        cfg.routes.get("/api/v1/libraries", libraries::list);
        cfg.routes.get("/api/v1/libraries/{libraryId}", libraries::one);
        cfg.routes.get("/health", status::health);
        cfg.routes.get("/ready", status::ready);
        cfg.routes.get("/metrics", status::metrics);
        cfg.routes.get("/openapi.json", status::openApi);
        cfg.routes.get("/", status::dashboard);
    }

    private static void writeRoutes(JavalinConfig cfg, JobWriteRoutes writes, PreviewRoute preview) {
        cfg.routes.post("/api/v1/jobs", writes::create);
        cfg.routes.post("/api/v1/jobs/register", writes::register);
        cfg.routes.put("/api/v1/jobs/{jobId}", writes::replace);
        cfg.routes.patch("/api/v1/jobs/{jobId}", writes::patch);
        cfg.routes.delete("/api/v1/jobs/{jobId}", writes::delete);
        cfg.routes.post("/api/v1/jobs/{jobId}/enable", writes::enable);
        cfg.routes.post("/api/v1/jobs/{jobId}/disable", writes::disable);
        cfg.routes.post("/api/v1/jobs/{jobId}/pause", writes::pause);
        cfg.routes.post("/api/v1/jobs/{jobId}/resume", writes::resume);
        cfg.routes.get("/api/v1/jobs/{jobId}/changes", writes::changes);
        cfg.routes.post("/api/v1/schedules/preview", preview::preview);
    }

    /**
     * Before any route: the dev server's Host check (DNS rebinding), the peer signature of a forwarded
     * request, and in production mode a viewer token for every read under /api/v1. Writes check their own,
     * higher roles.
     */
    private static void guard(JavalinConfig cfg, Access access, PeerAuth peerAuth) {
        cfg.routes.before(access::checkHost);
        cfg.routes.before("/api/*", ctx -> {
            if (ctx.header(Peers.FORWARDED) != null) {
                peerAuth.check(ctx);
                return; // an instance of this application, which checked the client's token itself
            }
            if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD) {
                access.requireRead(ctx);
            }
        });
    }

    private void configure(JavalinConfig cfg, ObjectMapper mapper) {
        cfg.startup.showJavalinBanner = false;
        cfg.jsonMapper(new JavalinJackson(mapper, false));
        cfg.http.maxRequestSize = settings.maxBodyBytes();
        cfg.staticFiles.add(files -> {
            files.hostedPath = "/dashboard";
            files.directory = "/dashboard";
            files.location = Location.CLASSPATH;
        });
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        // Room for a long id in the URL: it gets a JSON 400 from the route instead of a bare 431 from Jetty.
        cfg.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
            // Jetty reuses header fields seen before on a connection, matching them case-insensitively by
            // default: "Bearer abc" after "Bearer ABC" reached the route as "Bearer ABC". A token (or any
            // value) must arrive exactly as sent.
            http.setHeaderCacheCaseSensitive(true);
        });
        cfg.routes.before(this::readBodyFirst);
        cfg.routes.after("/api/*", ctx -> ctx.header("Cache-Control", "no-store"));
    }

    /**
     * Reads every request body before any answer is written, so that a connection is never closed
     * on a client that is still sending: it would see a reset instead of the answer, or lose the
     * next request it sends on the same connection. Over the limit, a body of moderate size is
     * read and dropped, then refused with 413.
     */
    private void readBodyFirst(Context ctx) throws IOException {
        long length = ctx.req().getContentLengthLong();
        if (length > settings.maxBodyBytes()) {
            if (length <= MAX_DRAINED_BYTES) {
                ctx.req().getInputStream().skipNBytes(length);
            }
            throw ApiException.tooLarge(settings.maxBodyBytes());
        }
        // HTTP/1.1: a request without Content-Length and Transfer-Encoding has no body (RFC 9112 §6.3): nothing to read
        if (length == 0 || length < 0 && ctx.req().getHeader("Transfer-Encoding") == null
                && ctx.req().getProtocol().startsWith("HTTP/1.")) {
            return;
        }
        ctx.bodyAsBytes();
    }

    private static void errors(JavalinConfig cfg) {
        cfg.routes.exception(ApiException.class, (e, ctx) -> {
            if (e.retryAfterSeconds() != null) {
                ctx.header("Retry-After", e.retryAfterSeconds());
            }
            error(ctx, e.status(), e.getMessage());
        });
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            log.error("event=request-failed method={} path={}", ctx.method(), Params.shorten(ctx.path()), e);
            error(ctx, 500, "internal error; the server log has the details");
        });
        // Javalin's own answers (no such route, ...) in the same shape, unless a handler already wrote one.
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            cfg.routes.error(status, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    error(ctx, status, ctx.status().getMessage());
                }
            });
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(new ErrorBody(message, status));
    }

    /**
     * A job's {@code notify} as the ticker holds it, from whichever instance owns the job (the notifier's lookup);
     * empty when the job is unknown or has none. Throws {@link ApiException} (503) while it cannot be known.
     */
    public Optional<Notify> notifyOf(String jobId) {
        String path = "/api/v1/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20");
        Optional<JsonNode> job = router.lookup(StoreNames.JOBS, jobId, path, partition -> stores
                .<JobState>get(StoreNames.JOBS, jobId, partition)
                .map(state -> (JsonNode) mapper.valueToTree(stores.view(state))));
        JsonNode notify = job.map(found -> found.path("notify")).orElse(null);
        if (notify == null || !notify.isObject()) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.treeToValue(notify, Notify.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public ApiServer start() {
        app.start(settings.host(), settings.port());
        log.info("event=api-started url=http://{}:{} advertised={} mode={} {} peer-key={}", settings.host(), app.port(),
                settings.advertised(), settings.mode(), settings.tokenSource(), peerKeySource());
        return this;
    }

    private String peerKeySource() {
        return switch (PeerAuth.source(settings)) {
            case PEER_SECRET -> "cronstream.api.peer.secret";
            case API_TOKEN -> "derived from cronstream.api.token";
            case NONE -> "none (set cronstream.api.peer.secret): requests forwarded between instances are refused";
        };
    }

    public int port() {
        return app.port();
    }

    /** The Javalin app, for tests that list its routes. */
    public Javalin app() {
        return app;
    }

    @Override
    public void close() {
        app.stop();
    }
}
