package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.ParsedJob;
import io.cronstream.ticker.schedule.CronSchedule;
import io.cronstream.ticker.schedule.JobSchedule;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /api/v1/schedules/preview}: what the ticker would make of a schedule, for an editor to call on
 * every keystroke. The same parser as the ticker, so a preview says valid exactly when a save would succeed. Each
 * client (its token, or its address in dev mode) has {@code cronstream.api.preview.rate} previews a second.
 */
final class PreviewRoute {

    private static final Set<String> FIELDS = Set.of("cronExpression", "interval", "runAt", "cronType", "timeZone",
            "startAt", "endAt", "count");
    private static final int MAX_COUNT = 50;

    private final Access access;
    private final PreviewLimiter limiter;
    private final JobDefinitionParser parser;
    private final ObjectMapper mapper;
    private final Clock clock;

    PreviewRoute(Access access, PreviewLimiter limiter, JobDefinitionParser parser, ObjectMapper mapper, Clock clock) {
        this.access = access;
        this.limiter = limiter;
        this.parser = parser;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** One upcoming fire: the instant, the wall-clock time in the job's zone, and what daylight saving did to it. */
    record Fire(Instant at, String local, String note) {
    }

    record Preview(boolean valid, String error, String description, List<Instant> next, List<Fire> fires) {
    }

    void preview(Context ctx) {
        limiter.acquire(access.requireRead(ctx).map(reader -> "token " + reader.name()).orElse("address " + ctx.ip()));
        ObjectNode body = body(ctx);
        int count = 5;
        JsonNode countNode = body.remove("count");
        if (countNode != null && !countNode.isNull()) {
            if (!countNode.canConvertToInt() || !countNode.isIntegralNumber() || countNode.intValue() < 1
                    || countNode.intValue() > MAX_COUNT) {
                throw ApiException.badRequest("field 'count': expected a whole number from 1 to " + MAX_COUNT);
            }
            count = countNode.intValue();
        }
        for (var names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("field '" + Params.shorten(name) + "': not a schedule field, expected one of "
                        + new java.util.TreeSet<>(FIELDS));
            }
        }
        body.put("_id", "preview");
        Instant now = clock.instant();
        JobDefinition definition;
        try {
            ParsedJob parsed = parser.parse(null, mapper.writeValueAsBytes(body), now);
            definition = ((ParsedJob.Defined) parsed).definition();
        } catch (InvalidRecordException | IOException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (!definition.valid()) {
            ctx.json(new Preview(false, definition.error(), null, List.of(), List.of()));
            return;
        }
        JobSchedule schedule = definition.schedule(now);
        int wanted = count;
        List<Instant> next = schedule.firstFire(now, null, 0)
                .map(first -> schedule.upcoming(first, 0, wanted)).orElse(List.of());
        ZoneId zone = ZoneId.of(definition.timeZone());
        List<Fire> fires = new ArrayList<>(next.size());
        for (Instant at : next) {
            String note = schedule.schedule() instanceof CronSchedule cron ? cron.daylightSavingNote(at).orElse(null) : null;
            fires.add(new Fire(at, at.atZone(zone).toOffsetDateTime().toString(), note));
        }
        ctx.json(new Preview(true, null, definition.description(), next, fires));
    }

    private ObjectNode body(Context ctx) {
        JsonNode body;
        try {
            body = mapper.readTree(new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw ApiException.badRequest("body must be a JSON object like {\"cronExpression\": \"0 9 * * MON\"}");
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body must be a JSON object like {\"cronExpression\": \"0 9 * * MON\"}");
        }
        return (ObjectNode) body;
    }
}
