package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.ticker.JobState;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import io.cronstream.ticker.job.OverlapPolicy;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/jobs/{jobId}/trigger}: checks the token, then, at the instance that owns the
 * job, that the job can run and was not triggered in the last interval, and writes a TRIGGER command.
 * A request may carry an idempotency key (header {@value #IDEMPOTENCY_KEY} or body field
 * {@code idempotencyKey}): requests with the same key name the same run, which the ticker makes once.
 */
final class TriggerRoute {

    private static final Logger log = LoggerFactory.getLogger(TriggerRoute.class);
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_TRIGGERED_BY = 200;
    private static final String BODY_SHAPE = "body must be a JSON object like {\"triggeredBy\": \"alice\"}";

    private final Access access;
    private final Router router;
    private final LocalStores stores;
    private final TriggerLimiter limiter;
    private final CommandSink commands;
    private final ApiMetrics metrics;
    private final ObjectMapper mapper;
    private final ChangeTrail trail;

    TriggerRoute(Access access, Router router, LocalStores stores, TriggerLimiter limiter,
            CommandSink commands, ApiMetrics metrics, ObjectMapper mapper, ChangeTrail trail) {
        this.access = access;
        this.router = router;
        this.stores = stores;
        this.limiter = limiter;
        this.commands = commands;
        this.metrics = metrics;
        this.mapper = mapper;
        this.trail = trail;
    }

    /** What a 202 says: the run the ticker will create, named after the request. */
    record Accepted(String jobId, String runId, String triggeredBy, Instant requestedAt, String idempotencyKey) {
    }

    /** What the request asks for. */
    private record Request(String triggeredBy, String idempotencyKey) {
    }

    void trigger(Context ctx) {
        if (!access.anyToken()) {
            metrics.trigger("disabled");
            throw ApiException.disabled("trigger disabled: no token configured");
        }
        try {
            Access.Principal who = access.require(ctx, Role.OPERATOR, "trigger");
            String jobId = Params.id(ctx, "jobId");
            Request request = request(ctx);
            boolean force = Boolean.TRUE.equals(Params.bool(ctx, "force"));
            router.atOwner(ctx, StoreNames.JOBS, jobId, partition -> accept(ctx, jobId, request, force, who, partition));
        } catch (ApiException e) {
            metrics.trigger(outcome(e.status()));
            throw e;
        }
    }

    private void accept(Context ctx, String jobId, Request request, boolean force, Access.Principal who,
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
        String by = running ? request.triggeredBy() + " (forced)" : request.triggeredBy();
        TriggerLimiter.Slot slot = limiter.acquire(jobId, request.idempotencyKey());
        Command command = Command.trigger(jobId, by, slot.takenAt(), request.idempotencyKey());
        if (running) {
            // Audited before it starts: who overrode the policy is the token, not the name the client chose.
            trail.forcedTrigger(jobId, job.definition().version(), who, command.manualRunId(), job.activeRunId(),
                    request.triggeredBy());
        }
        // a 503 here (or above) keeps the slot: the command may be written, and the retry must write the same one
        commands.send(command);
        limiter.written(jobId, slot);
        if (running) {
            log.warn("event=trigger-forced jobId={} runId={} activeRunId={} triggeredBy={} token={} role={}", jobId,
                    command.manualRunId(), job.activeRunId(), Params.shorten(request.triggeredBy()), who.name(),
                    who.role().lower());
        }
        metrics.trigger("accepted");
        ctx.status(202).json(new Accepted(jobId, command.manualRunId(), command.triggeredBy(), command.requestedAt(),
                command.requestId()));
    }

    /** {@code {"triggeredBy": "alice", "idempotencyKey": "..."}}, or no body at all for "api". */
    private Request request(Context ctx) {
        String header = ctx.header(IDEMPOTENCY_KEY);
        byte[] body = ctx.bodyAsBytes();
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            return new Request("api", idempotencyKey(header, null));
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest(BODY_SHAPE);
        }
        if (json == null || !json.isObject()) {
            throw ApiException.badRequest(BODY_SHAPE);
        }
        return new Request(triggeredBy(json.get("triggeredBy")), idempotencyKey(header, json.get("idempotencyKey")));
    }

    private static String triggeredBy(JsonNode by) {
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

    /** The header or the body field (equal when both are given), or null. */
    private static String idempotencyKey(String header, JsonNode field) {
        if (field != null && !field.isNull() && !field.isTextual()) {
            throw ApiException.badRequest("idempotencyKey must be a string");
        }
        String fromBody = field == null || field.isNull() ? null : field.asText();
        if (header != null && fromBody != null && !header.equals(fromBody)) {
            throw ApiException.badRequest("the " + IDEMPOTENCY_KEY + " header and the idempotencyKey field differ");
        }
        String key = header != null ? header : fromBody;
        String problem = DueEvent.requestIdProblem(key);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
        return key;
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
