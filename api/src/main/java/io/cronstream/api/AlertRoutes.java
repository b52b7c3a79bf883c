package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import io.cronstream.topology.alerts.RecentAlerts;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** {@code GET /api/v1/alerts}: recent alerts from {@code alerts-recent}, newest first, paged like every list. */
final class AlertRoutes {

    /**
     * The store's order: {@code at} to the millisecond, newest first, then the greater id ({@code jobId NUL kind NUL
     * runId}) first, so the union of every partition's pages orders exactly as each partition's scan.
     */
    private static final Comparator<JsonNode> NEWEST_FIRST = Comparator
            .comparing((JsonNode alert) -> at(alert), Comparator.reverseOrder())
            .thenComparing(AlertRoutes::id, Comparator.reverseOrder());

    private static final Page.Order NEWEST = new Page.Order(NEWEST_FIRST, List.of("at", "kind", "jobId", "runId"));

    /** What the list shows: the alert's fields and the line a chat channel shows. */
    record AlertView(AlertKind kind, String jobId, String runId, Integer attempt, Instant at, String message,
            String text) {
        static AlertView of(Alert alert) {
            return new AlertView(alert.kind(), alert.jobId(), alert.runId(), alert.attempt(), alert.at(),
                    alert.message(), alert.text());
        }
    }

    private final Router router;
    private final LocalStores stores;

    AlertRoutes(Router router, LocalStores stores) {
        this.router = router;
        this.stores = stores;
    }

    void list(Context ctx) {
        AlertKind kind = Params.enumValue(ctx, "kind", AlertKind.class);
        String jobId = ctx.queryParam("jobId");
        Page page = Page.of(ctx);
        Predicate<Alert> filter = alert -> (kind == null || alert.kind() == kind)
                && (jobId == null || jobId.equals(alert.jobId()));
        RecentAlerts.Place after = page.after() == null ? null : new RecentAlerts.Place(at(page.after()), id(page.after()));
        // one more than a page from each partition, so the collector knows whether there is a next page
        ctx.json(router.page(ctx, StoreNames.ALERTS, page, NEWEST,
                sink -> stores.recentAlerts(after, filter, page.limit() + 1, alert -> sink.accept(AlertView.of(alert)))));
    }

    private static String id(JsonNode alert) {
        JsonNode runId = alert.path("runId");
        return RecentAlerts.id(alert.path("jobId").asText(), alert.path("kind").asText(),
                runId.isTextual() ? runId.asText() : null);
    }

    private static Instant at(JsonNode alert) {
        try {
            return Instant.ofEpochMilli(Instant.parse(alert.path("at").asText()).toEpochMilli());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiException.badRequest("cursor is not a cursor this API gave out");
        }
    }
}
