package io.cronstream.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** {@code /health}, {@code /ready}, {@code /metrics}, {@code /openapi.json} and the dashboard page. */
final class StatusRoutes {

    private final Cluster cluster;
    private final LocalStores stores;
    private final List<String> requiredStores;
    private final ApiMetrics metrics;
    private final byte[] openApi;
    private final byte[] dashboard;

    /** @param requiredStores the stores that must be queryable before this instance is ready */
    StatusRoutes(Cluster cluster, LocalStores stores, List<String> requiredStores, ApiMetrics metrics) {
        this.cluster = cluster;
        this.stores = stores;
        this.requiredStores = requiredStores;
        this.metrics = metrics;
        this.openApi = resource("/openapi.json");
        this.dashboard = resource("/dashboard/index.html");
    }

    /** Liveness: fails only when the instance cannot recover by itself, so restarting it is the fix. */
    void health(Context ctx) {
        if (!cluster.live()) {
            throw ApiException.disabled("Kafka Streams is " + cluster.state());
        }
        ctx.json(Map.of("live", true, "state", cluster.state()));
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
