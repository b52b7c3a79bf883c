package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.HistoryStats;
import io.cronstream.schemas.JobHistory;
import io.cronstream.ticker.JobNames;
import io.cronstream.ticker.JobState;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;

/** {@code /api/v1/jobs...}: job definitions and schedules from {@code ticker-jobs}, history from {@code progress-job-history}. */
final class JobRoutes {

    /** By name, case-blind, then id: the order of the {@code ticker-jobs-by-name} index, byte for byte. */
    private static final Comparator<JsonNode> BY_NAME = (a, b) -> JobNames.compare(nameKey(a), nameKey(b));

    private static final Page.Order BY_NAME_PAGES = new Page.Order(BY_NAME, List.of("name", "jobId"));

    private final Router router;
    private final LocalStores stores;

    JobRoutes(Router router, LocalStores stores) {
        this.router = router;
        this.stores = stores;
    }

    void list(Context ctx) {
        Page page = Page.of(ctx);
        Bytes after = page.after() == null ? null : nameKey(page.after());
        // one more than a page from each partition, so the collector knows whether there is a next page
        ctx.json(router.page(ctx, StoreNames.JOBS, page, BY_NAME_PAGES,
                sink -> stores.jobsByName(after, page.limit() + 1, job -> sink.accept(stores.view(job)))));
    }

    private static Bytes nameKey(JsonNode job) {
        JsonNode name = job.path("name");
        return JobNames.key(name.isTextual() ? name.asText() : null, job.path("jobId").asText());
    }

    void one(Context ctx) {
        String jobId = Params.id(ctx, "jobId");
        router.atOwner(ctx, StoreNames.JOBS, jobId, partition -> {
            JobView view = stores.view(job(jobId, partition));
            if (view.definition().version() != null) {
                // The version the ticker holds: a client sends it back as If-Match with its change.
                ctx.header("ETag", "\"" + view.definition().version() + "\"");
            }
            ctx.json(view);
        });
    }

    void next(Context ctx) {
        String jobId = Params.id(ctx, "jobId");
        int count = Params.integer(ctx, "count", 1, 100, 10);
        router.atOwner(ctx, StoreNames.JOBS, jobId,
                partition -> ctx.json(new JobView.Next(jobId, JobView.nextFires(job(jobId, partition), count))));
    }

    /** A known job without runs yet has an empty history; only an unknown job is a 404. */
    void history(Context ctx) {
        String jobId = Params.id(ctx, "jobId");
        router.atOwner(ctx, StoreNames.JOB_HISTORY, jobId, partition -> {
            JobHistory history = stores.<JobHistory>get(StoreNames.JOB_HISTORY, jobId, partition)
                    .orElseGet(() -> emptyHistoryOfKnownJob(jobId));
            ctx.json(history);
        });
    }

    private JobHistory emptyHistoryOfKnownJob(String jobId) {
        boolean known = router.exists(StoreNames.JOBS, jobId, "/api/v1/jobs/" + pathSegment(jobId),
                partition -> stores.get(StoreNames.JOBS, jobId, partition).isPresent());
        if (!known) {
            throw notFound(jobId);
        }
        return new JobHistory(jobId, List.of(), new HistoryStats(0, 0, 0, null, null, null, null));
    }

    private JobState job(String jobId, int partition) {
        return stores.<JobState>get(StoreNames.JOBS, jobId, partition).orElseThrow(() -> notFound(jobId));
    }

    private static ApiException notFound(String jobId) {
        return ApiException.notFound("job '" + Params.shorten(jobId) + "' is not known (never defined, or deleted)");
    }

    private static String pathSegment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
