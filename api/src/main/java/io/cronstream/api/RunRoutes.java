package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.streams.TimeIndex;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** {@code /api/v1/runs...} and {@code /api/v1/stuck}: run snapshots from {@code progress-runs}. */
final class RunRoutes {

    /** Newest change first, to the second, as the run index orders them (the greater id first within a second). */
    private static final Comparator<JsonNode> NEWEST_FIRST = Comparator
            .comparing((JsonNode run) -> toTheSecond(instant(run, "updatedAt")), Comparator.reverseOrder())
            .thenComparing(run -> run.path("runId").asText(), Comparator.reverseOrder());
    /** The longest stall first. */
    private static final Comparator<JsonNode> LONGEST_STUCK_FIRST = Comparator
            .comparing((JsonNode run) -> instant(run, "stuckSince"))
            .thenComparing(run -> run.path("runId").asText());

    private static final Page.Order NEWEST = new Page.Order(NEWEST_FIRST, List.of("updatedAt", "runId"));
    private static final Page.Order LONGEST_STUCK = new Page.Order(LONGEST_STUCK_FIRST, List.of("stuckSince", "runId"));

    private final Router router;
    private final LocalStores stores;

    RunRoutes(Router router, LocalStores stores) {
        this.router = router;
        this.stores = stores;
    }

    void list(Context ctx) {
        RunStatus status = Params.enumValue(ctx, "status", RunStatus.class);
        Boolean stuck = Params.bool(ctx, "stuck");
        String jobId = ctx.queryParam("jobId");
        Page page = Page.of(ctx);
        Predicate<RunSnapshot> filter = run -> (status == null || run.status() == status)
                && (stuck == null || run.stuck() == stuck)
                && (jobId == null || jobId.equals(run.jobId()));
        TimeIndex.Entry after = page.after() == null ? null : new TimeIndex.Entry(
                toTheSecond(instant(page.after(), "updatedAt")), page.after().path("runId").asText());
        // one more than a page from each partition, so the collector knows whether there is a next page
        ctx.json(router.page(ctx, StoreNames.RUNS, page, NEWEST,
                sink -> stores.recentRuns(after, filter, page.limit() + 1, sink::accept)));
    }

    void one(Context ctx) {
        String runId = Params.id(ctx, "runId");
        router.atOwner(ctx, StoreNames.RUNS, runId, partition -> ctx.json(stores
                .<RunSnapshot>get(StoreNames.RUNS, runId, partition)
                .orElseThrow(() -> ApiException.notFound("run '" + Params.shorten(runId) + "' is not known"))));
    }

    void stuck(Context ctx) {
        Page page = Page.of(ctx);
        Instant since = page.after() == null ? null : instant(page.after(), "stuckSince");
        Long afterMillis = since == null ? null : since.equals(Instant.MIN) ? Long.MIN_VALUE : since.toEpochMilli();
        String afterRunId = page.after() == null ? null : page.after().path("runId").asText();
        // one more than a page, so the collector knows whether this part has a next page
        ctx.json(router.page(ctx, StoreNames.RUNS, page, LONGEST_STUCK,
                sink -> stores.stuckRuns(afterMillis, afterRunId, page.limit() + 1).forEach(sink)));
    }

    private static Instant toTheSecond(Instant at) {
        return at.equals(Instant.MIN) ? at : at.truncatedTo(ChronoUnit.SECONDS);
    }

    private static Instant instant(JsonNode run, String field) {
        try {
            return Instant.parse(run.path(field).asText());
        } catch (DateTimeParseException e) {
            return Instant.MIN;
        }
    }
}
