package io.cronstream.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.streams.TimeIndex;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

    /** The value serde of {@code progress-runs} ({@code ProgressTopology}): reads what the fold stored. */
    private static final JsonCodec<RunSnapshot> STORED = JsonCodec.of(RunSnapshot.class);
    /** Answers kept at most; past that the cache starts over (a bound, not an eviction policy). */
    static final int MAX_ANSWERS = 1_024;
    /** Larger runs (stored + answer bytes) are answered anew each time: the cache stays within 32 MiB. */
    static final int MAX_CACHED_BYTES = 32 * 1_024;

    private final Router router;
    private final LocalStores stores;
    private final ObjectMapper mapper;
    /**
     * The last answer per run, with the stored bytes it was made from. An answer is a function of those bytes
     * alone, so it is reused only while the store holds exactly the same bytes: a run that changed is read and
     * serialised anew. Dashboards poll runs under way again and again; this spares them Jackson both ways.
     */
    private final ConcurrentHashMap<String, Answer> answers = new ConcurrentHashMap<>();

    private record Answer(byte[] stored, byte[] body) {
    }

    RunRoutes(Router router, LocalStores stores, ObjectMapper mapper) {
        this.router = router;
        this.stores = stores;
        this.mapper = mapper;
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
        router.atOwner(ctx, StoreNames.RUNS, runId, partition -> {
            Optional<byte[]> body = fromStoredBytes(runId, partition);
            if (body.isPresent()) {
                ctx.contentType("application/json").result(body.get());
            } else {
                ctx.json(stores.<RunSnapshot>get(StoreNames.RUNS, runId, partition).orElseThrow(() -> unknown(runId)));
            }
        });
    }

    /**
     * The answer made from the run's stored bytes (the same JSON as {@code ctx.json} of the typed read), reused
     * while they are unchanged; empty where the store cannot be read as bytes.
     */
    private Optional<byte[]> fromStoredBytes(String runId, int partition) {
        Optional<StoreProvider.RawValue> raw = stores.raw(StoreNames.RUNS, runId, partition);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        byte[] stored = raw.get().bytes();
        if (stored == null) {
            answers.remove(runId);
            throw unknown(runId);
        }
        Answer answer = answers.get(runId);
        if (answer != null && Arrays.equals(answer.stored(), stored)) {
            return Optional.of(answer.body());
        }
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(STORED.read(stored));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + Params.shorten(runId) + " cannot be written as JSON", e);
        }
        if (stored.length + body.length <= MAX_CACHED_BYTES) {
            if (answers.size() >= MAX_ANSWERS) {
                answers.clear();
            }
            answers.put(runId, new Answer(stored, body));
        } else {
            answers.remove(runId);
        }
        return Optional.of(body);
    }

    private static ApiException unknown(String runId) {
        return ApiException.notFound("run '" + Params.shorten(runId) + "' is not known");
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
