package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cronstream.schemas.Command;
import io.cronstream.ticker.JobState;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /api/v1/jobs/{jobId}/trigger}: checks the token, then, at the instance that owns the
 * job, that the job can run and was not triggered in the last interval, and writes a TRIGGER command.
 * A request may carry an idempotency key (header {@value #IDEMPOTENCY_KEY} or body field
 * {@code idempotencyKey}): requests with the same key name the same run, which the ticker makes once.
 */
final class TriggerRoute {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_TRIGGERED_BY = 200;
    private static final String BODY_SHAPE = "body must be a JSON object like {\"triggeredBy\": \"alice\"}";

    private final Optional<BearerToken> token;
    private final Router router;
    private final LocalStores stores;
    private final TriggerLimiter limiter;
    private final CommandSink commands;
    private final ApiMetrics metrics;
    private final ObjectMapper mapper;

    TriggerRoute(Optional<String> token, Router router, LocalStores stores, TriggerLimiter limiter,
            CommandSink commands, ApiMetrics metrics, ObjectMapper mapper) {
        this.token = token.map(BearerToken::new);
        this.router = router;
        this.stores = stores;
        this.limiter = limiter;
        this.commands = commands;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    /** What a 202 says: the run the ticker will create, named after the request. */
    record Accepted(String jobId, String runId, String triggeredBy, Instant requestedAt, String idempotencyKey) {
    }

    /** What the request asks for. */
    private record Request(String triggeredBy, String idempotencyKey) {
    }

    void trigger(Context ctx) {
        if (token.isEmpty()) {
            metrics.trigger("disabled");
            throw ApiException.disabled("trigger disabled: no token configured");
        }
        try {
            authorize(ctx);
            String jobId = Params.id(ctx, "jobId");
            Request request = request(ctx);
            router.atOwner(ctx, StoreNames.JOBS, jobId, partition -> accept(ctx, jobId, request, partition));
        } catch (ApiException e) {
            metrics.trigger(outcome(e.status()));
            throw e;
        }
    }

    private void accept(Context ctx, String jobId, Request request, int partition) {
        JobState job = stores.<JobState>get(StoreNames.JOBS, jobId, partition).orElseThrow(() -> ApiException.notFound(
                "job '" + Params.shorten(jobId) + "' is not known (never defined, or deleted)"));
        if (!job.definition().valid()) {
            throw ApiException.conflict("job '" + Params.shorten(jobId) + "' is invalid and cannot run: "
                    + job.definition().error());
        }
        TriggerLimiter.Slot slot = limiter.acquire(jobId, request.idempotencyKey());
        Command command = Command.trigger(jobId, request.triggeredBy(), slot.takenAt(), request.idempotencyKey());
        // a 503 here keeps the slot: the command may be written, and the retry must write the same one
        commands.send(command);
        limiter.written(jobId, slot);
        metrics.trigger("accepted");
        ctx.status(202).json(new Accepted(jobId, command.manualRunId(), command.triggeredBy(), command.requestedAt(),
                command.requestId()));
    }

    private void authorize(Context ctx) {
        String header = ctx.header("Authorization");
        if (!BearerToken.isBearer(header)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiException.unauthorized("missing bearer token: send Authorization: Bearer <token>");
        }
        if (!token.get().matches(header)) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw ApiException.unauthorized("wrong bearer token");
        }
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
        if (key != null && !Command.REQUEST_ID.matcher(key).matches()) {
            throw ApiException.badRequest("an idempotency key is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return key;
    }

    private static String outcome(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 409 -> "invalid_job";
            case 429 -> "rate_limited";
            default -> "unavailable";
        };
    }

}
