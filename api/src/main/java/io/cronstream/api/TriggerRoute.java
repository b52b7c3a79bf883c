package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.ticker.JobState;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import io.cronstream.ticker.job.OverlapPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/jobs/{jobId}/trigger}: checks the token, then, at the instance that owns the
 * job, that the job can run and was not triggered in the last interval, and writes a TRIGGER command.
 */
final class TriggerRoute {

    private static final Logger log = LoggerFactory.getLogger(TriggerRoute.class);
    private static final int MAX_TRIGGERED_BY = 200;

    private final Access access;
    private final Router router;
    private final LocalStores stores;
    private final TriggerLimiter limiter;
    private final CommandSink commands;
    private final ApiMetrics metrics;
    private final ObjectMapper mapper;

    TriggerRoute(Access access, Router router, LocalStores stores, TriggerLimiter limiter,
            CommandSink commands, ApiMetrics metrics, ObjectMapper mapper) {
        this.access = access;
        this.router = router;
        this.stores = stores;
        this.limiter = limiter;
        this.commands = commands;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    /** What a 202 says: the run the ticker will create is named after {@code requestedAt}. */
    record Accepted(String jobId, String runId, String triggeredBy, Instant requestedAt) {
    }

    void trigger(Context ctx) {
        if (!access.anyToken()) {
            metrics.trigger("disabled");
            throw ApiException.disabled("trigger disabled: no token configured");
        }
        try {
            Access.Principal who = access.require(ctx, Role.OPERATOR, "trigger");
            String jobId = Params.id(ctx, "jobId");
            String triggeredBy = triggeredBy(ctx);
            boolean force = Boolean.TRUE.equals(Params.bool(ctx, "force"));
            router.atOwner(ctx, StoreNames.JOBS, jobId,
                    partition -> accept(ctx, jobId, triggeredBy, force, who, partition));
        } catch (ApiException e) {
            metrics.trigger(outcome(e.status()));
            throw e;
        }
    }

    private void accept(Context ctx, String jobId, String triggeredBy, boolean force, Access.Principal who,
            int partition) {
        JobState job = stores.<JobState>get(StoreNames.JOBS, jobId, partition).orElseThrow(() -> ApiException.notFound(
                "job '" + Params.shorten(jobId) + "' is not known (never defined, or deleted)"));
        if (!job.definition().valid()) {
            throw ApiException.conflict("job '" + Params.shorten(jobId) + "' is invalid and cannot run: "
                    + job.definition().error());
        }
        // Seed 004: a job that must not overlap is not started twice by hand either, unless the caller insists.
        boolean running = job.definition().overlapPolicy() == OverlapPolicy.SKIP && job.activeRunId() != null;
        if (running && !force) {
            throw ApiException.conflict("job already running: run " + job.activeRunId()
                    + " is still active (overlap policy SKIP); add ?force=true to start another");
        }
        // A forced start says so in the run's triggeredBy, so the run history shows it too.
        String by = running ? triggeredBy + " (forced)" : triggeredBy;
        // Millisecond precision: the run id the ticker derives from requestedAt is in millis too.
        Instant requestedAt = limiter.acquire(jobId).truncatedTo(ChronoUnit.MILLIS);
        try {
            commands.send(Command.trigger(jobId, by, requestedAt));
        } catch (ApiException e) {
            limiter.release(jobId, requestedAt);
            throw e;
        }
        if (running) {
            log.warn("event=trigger-forced jobId={} activeRunId={} triggeredBy={} token={}", jobId,
                    job.activeRunId(), Params.shorten(triggeredBy), who.name());
        }
        metrics.trigger("accepted");
        ctx.status(202).json(new Accepted(jobId, DueEvent.runIdFor(jobId, requestedAt), by, requestedAt));
    }

    /** {@code {"triggeredBy": "alice"}}, or no body at all for "api". */
    private String triggeredBy(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            return "api";
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("body must be a JSON object like {\"triggeredBy\": \"alice\"}");
        }
        if (json == null || !json.isObject()) {
            throw ApiException.badRequest("body must be a JSON object like {\"triggeredBy\": \"alice\"}");
        }
        JsonNode by = json.get("triggeredBy");
        if (by == null || by.isNull()) {
            return "api";
        }
        if (!by.isTextual() || by.asText().isBlank()) {
            throw ApiException.badRequest("triggeredBy must be a non-empty string");
        }
        String text = by.asText();
        if (text.length() > MAX_TRIGGERED_BY || text.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("triggeredBy must be at most " + MAX_TRIGGERED_BY
                    + " characters without control characters");
        }
        return text;
    }

    private static String outcome(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 429 -> "rate_limited";
            default -> "unavailable";
        };
    }

}
