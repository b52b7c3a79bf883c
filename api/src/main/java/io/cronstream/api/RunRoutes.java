package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** {@code /api/v1/runs...} and {@code /api/v1/stuck}: run snapshots from {@code progress-runs}. */
final class RunRoutes {

    /** Newest activity first, the order a person scans them in. */
    private static final Comparator<JsonNode> NEWEST_FIRST = Comparator
            .comparing((JsonNode run) -> instant(run, "updatedAt"), Comparator.reverseOrder())
            .thenComparing(run -> run.path("runId").asText());
    /** The longest stall first. */
    private static final Comparator<JsonNode> LONGEST_STUCK_FIRST = Comparator
            .comparing((JsonNode run) -> instant(run, "stuckSince"))
            .thenComparing(run -> run.path("runId").asText());

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
        int limit = Params.integer(ctx, "limit", 1, 5000, 500);
        Predicate<RunSnapshot> filter = run -> (status == null || run.status() == status)
                && (stuck == null || run.stuck() == stuck)
                && (jobId == null || jobId.equals(run.jobId()));
        ctx.json(ListBody.of(gather(ctx, filter, NEWEST_FIRST, limit)));
    }

    void one(Context ctx) {
        String runId = Params.id(ctx, "runId");
        router.atOwner(ctx, StoreNames.RUNS, runId, partition -> ctx.json(stores
                .<RunSnapshot>get(StoreNames.RUNS, runId, partition)
                .orElseThrow(() -> ApiException.notFound("run '" + Params.shorten(runId) + "' is not known"))));
    }

    void stuck(Context ctx) {
        int limit = Params.integer(ctx, "limit", 1, 5000, 500);
        List<JsonNode> runs = router.gather(ctx, StoreNames.RUNS, () -> stores.stuckRuns(limit));
        ctx.json(ListBody.of(runs.stream().sorted(LONGEST_STUCK_FIRST).limit(limit).toList()));
    }

    private static Instant instant(JsonNode run, String field) {
        try {
            return Instant.parse(run.path(field).asText());
        } catch (DateTimeParseException e) {
            return Instant.MIN;
        }
    }

    /** Each instance sorts and cuts its own part, so the merged list is cut again after one more sort. */
    private List<JsonNode> gather(Context ctx, Predicate<RunSnapshot> filter, Comparator<JsonNode> order, int limit) {
        List<JsonNode> runs = router.gather(ctx, StoreNames.RUNS,
                () -> stores.<RunSnapshot>values(StoreNames.RUNS, filter));
        return runs.stream().sorted(order).limit(limit).toList();
    }
}
