package io.cronstream.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /health}, {@code /ready}, {@code /metrics}, {@code /openapi.json} and the dashboard page. */
final class StatusRoutes {

    private final Cluster cluster;
    private final LocalStores stores;
    private final List<String> requiredStores;
    private final ApiMetrics metrics;
    private final Supplier<PipelineStatus> pipeline;
    private final byte[] openApi;
    private final byte[] dashboard;

    /**
     * @param requiredStores the stores that must be queryable before this instance is ready
     * @param pipeline       change capture's state, for {@code /health}; {@code /ready} is about this instance only
     */
    StatusRoutes(Cluster cluster, LocalStores stores, List<String> requiredStores, ApiMetrics metrics,
            Supplier<PipelineStatus> pipeline) {
        this.cluster = cluster;
        this.stores = stores;
        this.requiredStores = requiredStores;
        this.metrics = metrics;
        this.pipeline = pipeline;
        this.openApi = resource("/openapi.json");
        this.dashboard = resource("/dashboard/index.html");
    }

    /**
     * Always 200 while the process answers (DESIGN §14): {@code live} is false once the instance cannot recover by
     * itself (restart it); {@code pipeline} says whether MongoDB's changes reach the ticker, which restarting this
     * instance would not mend, so it never makes the answer fail.
     */
    void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("live", cluster.live());
        body.put("state", cluster.state());
        body.put("pipeline", pipeline.get());
        ctx.json(body);
    }

    void ready(Context ctx) {
        if (!cluster.running()) {
            throw ApiException.unavailable("not ready: Kafka Streams is " + cluster.state());
        }
        List<String> notQueryable = requiredStores.stream().filter(store -> !stores.queryable(store)).toList();
        if (!notQueryable.isEmpty()) {
            throw ApiException.unavailable("not ready: stores not queryable yet: " + String.join(", ", notQueryable));
        }
        ctx.json(Map.of("ready", true, "state", cluster.state(), "stores", requiredStores));
    }

    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    void openApi(Context ctx) {
        ctx.contentType("application/json").result(openApi);
    }

    void dashboard(Context ctx) {
        ctx.contentType("text/html; charset=utf-8").result(dashboard);
    }

    private static byte[] resource(String name) {
        try (InputStream in = StatusRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
