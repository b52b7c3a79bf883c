package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.ticker.job.ExtendedJson;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.OversizedDocument;
import io.cronstream.ticker.job.ParsedJob;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write routes of DESIGN §7 and §11: create, replace, merge-patch, delete, enable, disable, pause, resume,
 * register, and the change trail. Each write is validated with the ticker's own {@link JobDefinitionParser}
 * (a document the ticker would keep as {@code valid: false} is refused with its message and never stored),
 * then written to MongoDB conditionally on the version it was read at.
 */
final class JobWriteRoutes {

    private static final Logger log = LoggerFactory.getLogger(JobWriteRoutes.class);
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    /** Written by the API only: what a client sends for them is ignored. */
    static final Set<String> API_FIELDS = Set.of("version", "updatedBy", "updatedAt");
    /** Fields a person reads in lists and logs: bounded. Others are bounded by the body limit. */
    /** A cron's length is the parser's to check (CronSchedule.MAX_LENGTH), as on the jobs topic and in the preview. */
    private static final Map<String, Integer> MAX_LENGTHS = Map.ofEntries(
            Map.entry("name", 200), Map.entry("displayName", 200), Map.entry("jobType", 100),
            Map.entry("type", 100), Map.entry("timeZone", 64), Map.entry("description", 2000),
            Map.entry("serviceName", 200), Map.entry("serviceUrl", 2000), Map.entry("pauseNote", 1000),
            Map.entry("pausedBy", 200));
    private static final int MAX_DEPTH = 32;
    private static final Set<String> REGISTER_FIELDS = Set.of("name", "serviceName", "serviceUrl", "displayName",
            "description", "cronExpression", "jobType", "enabled", "config");
    private static final List<String> REGISTER_REQUIRED = List.of("name", "serviceName", "cronExpression");
    private static final String REGISTERED_CRON = "registeredCronExpression";
    private static final String NO_MONGO = "job writes disabled: no MongoDB configured (set cronstream.mongo.uri)";

    private final Access access;
    private final Optional<MongoJobs> mongo;
    private final JobDefinitionParser parser;
    private final AppliedWait wait;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final ChangeTrail trail;

    JobWriteRoutes(Access access, Optional<MongoJobs> mongo, JobDefinitionParser parser, AppliedWait wait,
            ObjectMapper mapper, Clock clock, ChangeTrail trail) {
        this.access = access;
        this.mongo = mongo;
        this.trail = trail;
        this.parser = parser;
        this.wait = wait;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** What a write answers: the stored document, its version and, with {@code ?wait=true}, whether the ticker has it. */
    record Written(String jobId, long version, Boolean applied, JsonNode document) {
    }

    void create(Context ctx) {
        Access.Principal who = access.require(ctx, Role.ADMIN, "creating jobs");
        MongoJobs jobs = mongo();
        ObjectNode body = bodyObject(ctx);
        String jobId = textId(body.remove("jobId"), "jobId");
        String docId = textId(body.get("_id"), "_id");
        if (jobId != null && docId != null && !jobId.equals(docId)) {
            throw ApiException.badRequest("field '_id': '" + Params.shorten(docId) + "' differs from jobId '"
                    + Params.shorten(jobId) + "'");
        }
        String id = docId != null ? docId : jobId != null ? jobId : UUID.randomUUID().toString();
        body.put("_id", id);
        Document document = document(body);
        stamp(document, 1, who);
        validate(id, document);
        if (!jobs.insert(document)) {
            throw ApiException.conflict("job '" + Params.shorten(id) + "' exists already: PUT or PATCH it instead");
        }
        trail.written(id, 1, who, "create", new Document(), document);
        ctx.header("Location", "/api/v1/jobs/" + pathSegment(id));
        answer(ctx, 201, id, 1, document, false);
    }

    void replace(Context ctx) {
        String jobId = Params.id(ctx, "jobId");
        update(ctx, jobId, Role.ADMIN, "replace", current -> {
            ObjectNode body = bodyObject(ctx);
            String id = textId(body.get("_id"), "_id");
            if (id != null && !id.equals(jobId)) {
                throw ApiException.badRequest("field '_id': '" + Params.shorten(id) + "' differs from the path's job id");
            }
            body.put("_id", jobId);
            return document(body);
        });
    }

    void patch(Context ctx) {
        String jobId = Params.id(ctx, "jobId");
        update(ctx, jobId, Role.ADMIN, "patch", current -> {
            ObjectNode patch = bodyObject(ctx);
            JsonNode id = patch.get("_id");
            if (id != null && !(id.isTextual() && id.asText().equals(jobId))) {
                throw ApiException.badRequest("field '_id': a patch cannot change the job id");
            }
            ObjectNode target = (ObjectNode) json(current);
            mergePatch(target, patch);
            return document(target);
        });
    }

    void enable(Context ctx) {
        setEnabled(ctx, true);
    }

    void disable(Context ctx) {
        setEnabled(ctx, false);
    }

    private void setEnabled(Context ctx, boolean enabled) {
        String jobId = Params.id(ctx, "jobId");
        update(ctx, jobId, Role.OPERATOR, enabled ? "enable" : "disable", current -> {
            // The document's own spelling is kept (seed 001 writes isEnabled, seed 004 enabled).
            boolean any = false;
            for (String field : List.of("isEnabled", "enabled")) {
                if (current.containsKey(field)) {
                    current.put(field, enabled);
                    any = true;
                }
            }
            if (!any) {
                current.put("enabled", enabled);
            }
            return current;
        });
    }

    /** {@code {note, until?}}: without {@code until} the job stays paused until resumed. */
    void pause(Context ctx) {
        String jobId = Params.id(ctx, "jobId");
        update(ctx, jobId, Role.OPERATOR, "pause", current -> {
            ObjectNode body = bodyObject(ctx);
            for (var names = body.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!name.equals("note") && !name.equals("until")) {
                    throw ApiException.badRequest("field '" + Params.shorten(name) + "': a pause takes only note and until");
                }
            }
            JsonNode note = body.get("note");
            if (note == null || !note.isTextual() || note.asText().isBlank()) {
                throw ApiException.badRequest("field 'note': expected a non-empty string saying why the job is paused");
            }
            current.put("pauseNote", note.asText());
            JsonNode until = body.get("until");
            if (until == null || until.isNull()) {
                current.remove("pausedUntil");
            } else {
                current.put("pausedUntil", Date.from(until(until)));
            }
            return current;
        });
    }

    void resume(Context ctx) {
        String jobId = Params.id(ctx, "jobId");
        update(ctx, jobId, Role.OPERATOR, "resume", current -> {
            current.remove("pausedUntil");
            current.remove("pauseNote");
            current.remove("pausedBy");
            return current;
        });
    }

    void delete(Context ctx) {
        Access.Principal who = access.require(ctx, Role.ADMIN, "deleting jobs");
        MongoJobs jobs = mongo();
        String jobId = Params.id(ctx, "jobId");
        Long ifMatch = ifMatch(ctx);
        Document current = jobs.find(jobId).orElseThrow(() -> notFound(jobId));
        Long version = version(current);
        checkPrecondition(jobId, ifMatch, version);
        if (!jobs.delete(jobId, version)) {
            throw stale(jobId, jobs);
        }
        long deletedAt = (version == null ? 0 : version) + 1;
        trail.written(jobId, deletedAt, who, "delete", current, new Document());
        log.info("event=job-written action=delete jobId={} version={} by={}", jobId, deletedAt, who.name());
        if (Boolean.TRUE.equals(Params.bool(ctx, "wait"))) {
            if (!wait.removed(jobId)) {
                ctx.status(202).json(new Written(jobId, deletedAt, false, null));
                return;
            }
        }
        ctx.status(204);
    }

    /**
     * Seed 004: a service registers a code-defined job on start-up. Upsert by the document field {@code name}
     * only (DESIGN §11), never by {@code displayName}: that is a label the registration itself may set, so
     * matching it could take over another job that merely shows the same text. A new job starts
     * disabled unless {@code enabled} says otherwise; a re-registration updates what code owns (description,
     * type, service, config, the default cron) but never what an admin changed (enabled, pause, a cron edited
     * through the API: the cron follows the code only while it still equals the last registered one).
     */
    void register(Context ctx) {
        Access.Principal who = access.require(ctx, Role.ADMIN, "registering jobs");
        MongoJobs jobs = mongo();
        ObjectNode body = registration(bodyObject(ctx));
        String name = body.get("name").asText();
        String cron = body.get("cronExpression").asText();
        List<Document> existing = jobs.findByName(name);
        if (existing.size() > 1) {
            throw ApiException.conflict("more than one job is named '" + Params.shorten(name) + "': rename one first");
        }
        if (existing.isEmpty()) {
            Document document = document(body);
            document.put("_id", name);
            document.put("enabled", body.path("enabled").booleanValue());
            document.put(REGISTERED_CRON, cron);
            stamp(document, 1, who);
            validate(name, document);
            if (!jobs.insert(document)) {
                throw ApiException.conflict("a job with id '" + Params.shorten(name) + "' exists under another name");
            }
            trail.written(name, 1, who, "register", new Document(), document);
            ctx.header("Location", "/api/v1/jobs/" + pathSegment(name));
            answer(ctx, 201, name, 1, document, false);
            return;
        }
        String jobId = String.valueOf(existing.get(0).get("_id"));
        Document before = existing.get(0);
        Document code = document(body);
        Document after = new Document(before);
        for (String field : List.of("serviceName", "serviceUrl", "displayName", "description", "jobType")) {
            if (code.containsKey(field)) {
                after.put(field, code.get(field));
            }
        }
        if (code.containsKey("config")) {
            String payloadField = before.containsKey("parameters") ? "parameters"
                    : before.containsKey("payload") ? "payload" : "config";
            after.put(payloadField, code.get("config"));
        }
        String cronField = before.containsKey("cronExpression") ? "cronExpression"
                : before.containsKey("schedule") ? "schedule" : before.containsKey("cron") ? "cron" : "cronExpression";
        Object currentCron = before.get(cronField);
        if (currentCron == null || currentCron.equals(before.get(REGISTERED_CRON))) {
            after.put(cronField, cron);
        }
        after.put(REGISTERED_CRON, cron);
        if (ChangeTrail.unchanged(before, after)) {
            Long version = version(before);
            answer(ctx, 200, jobId, version == null ? 0 : version, before, true);
            return;
        }
        update(ctx, jobId, Role.ADMIN, "register", current -> {
            if (!current.equals(before)) {
                throw stale(jobId, jobs);
            }
            return after;
        });
    }

    /**
     * {@code GET /api/v1/jobs/{jobId}/changes}: who changed the job, when, and what (old → new), newest first, paged
     * like every list: the cursor names the last entry returned (its time and id).
     */
    void changes(Context ctx) {
        ListBody<Document> entries = trail.page(Params.id(ctx, "jobId"), Page.of(ctx));
        ctx.json(new ListBody<>(entries.items().stream().map(this::json).toList(), entries.count(), entries.next()));
    }

    private void update(Context ctx, String jobId, Role role, String action, UnaryOperator<Document> change) {
        Access.Principal who = access.require(ctx, role, action + " of jobs");
        MongoJobs jobs = mongo();
        Long ifMatch = ifMatch(ctx);
        // Without If-Match a lost race is retried from a fresh read; with it, it is the caller's 412.
        for (int attempt = 0; attempt < 3; attempt++) {
            Document current = jobs.find(jobId).orElseThrow(() -> notFound(jobId));
            Long version = version(current);
            checkPrecondition(jobId, ifMatch, version);
            Document next = change.apply(new Document(current));
            next.put("_id", jobId);
            if (action.equals("pause")) {
                next.put("pausedBy", who.name());
            }
            long nextVersion = (version == null ? 0 : version) + 1;
            stamp(next, nextVersion, who);
            if (!action.equals("register") && current.containsKey(REGISTERED_CRON)) {
                // What the code last registered stays known, so a re-registration sees an admin's cron edit.
                next.put(REGISTERED_CRON, current.get(REGISTERED_CRON));
            }
            validate(jobId, next);
            if (jobs.replace(jobId, version, next)) {
                trail.written(jobId, nextVersion, who, action, current, next);
                answer(ctx, 200, jobId, nextVersion, next, false);
                return;
            }
            if (ifMatch != null) {
                throw stale(jobId, jobs);
            }
        }
        throw ApiException.conflict("job '" + Params.shorten(jobId) + "' kept changing during this write: try again");
    }

    private void answer(Context ctx, int status, String jobId, long version, Document document, boolean unchanged) {
        ctx.header("ETag", "\"" + version + "\"");
        Boolean applied = null;
        if (Boolean.TRUE.equals(Params.bool(ctx, "wait"))) {
            applied = wait.version(jobId, version);
            if (!applied) {
                status = 202;
            }
        }
        if (!unchanged) {
            log.info("event=job-written jobId={} version={} status={}", jobId, version, status);
        }
        ctx.status(status).json(new Written(jobId, version, applied, json(document)));
    }

    private void stamp(Document document, long version, Access.Principal who) {
        API_FIELDS.forEach(document::remove);
        document.put("version", version);
        document.put("updatedBy", who.name());
        document.put("updatedAt", Date.from(clock.instant()));
    }

    /** Refuses what the ticker would keep as {@code valid: false}, with the ticker's own message. */
    private void validate(String jobId, Document document) {
        for (Map.Entry<String, Integer> limit : MAX_LENGTHS.entrySet()) {
            if (document.get(limit.getKey()) instanceof String text && text.length() > limit.getValue()) {
                throw ApiException.badRequest("field '" + limit.getKey() + "': at most " + limit.getValue()
                        + " characters, got " + text.length());
            }
        }
        checkNames(document, 0);
        ParsedJob parsed;
        try {
            parsed = parser.parse(jobId.getBytes(StandardCharsets.UTF_8),
                    document.toJson(RELAXED).getBytes(StandardCharsets.UTF_8), clock.instant());
        } catch (InvalidRecordException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (parsed instanceof ParsedJob.TooLarge) {
            throw ApiException.badRequest("field '" + OversizedDocument.FIELD + "': reserved for the stub that stands"
                    + " for a document over the limit");
        }
        if (parsed instanceof ParsedJob.Deleted) {
            throw ApiException.badRequest("field 'isDeleted': delete a job with DELETE /api/v1/jobs/{jobId}");
        }
        var definition = ((ParsedJob.Defined) parsed).definition();
        if (!definition.valid()) {
            throw ApiException.badRequest(definition.error());
        }
    }

    /** MongoDB refuses field names starting with '$' or holding '.' or NUL, and deep nesting: say so first. */
    private static void checkNames(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw ApiException.badRequest("body: nested deeper than " + MAX_DEPTH + " levels");
        }
        if (value instanceof Document document) {
            for (Map.Entry<String, Object> entry : document.entrySet()) {
                String name = entry.getKey();
                if (name.isEmpty() || name.startsWith("$") || name.indexOf('.') >= 0 || name.indexOf('\0') >= 0) {
                    throw ApiException.badRequest("field '" + Params.shorten(name)
                            + "': a field name must not be empty, start with '$' or contain '.'");
                }
                checkNames(entry.getValue(), depth + 1);
            }
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                checkNames(item, depth + 1);
            }
        }
    }

    /** RFC 7386: null removes, objects merge, anything else replaces. */
    static void mergePatch(ObjectNode target, JsonNode patch) {
        patch.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && target.get(field.getKey()) instanceof ObjectNode inner) {
                mergePatch(inner, value);
            } else if (value.isObject()) {
                ObjectNode fresh = target.putObject(field.getKey());
                mergePatch(fresh, value);
            } else {
                target.set(field.getKey(), value);
            }
        });
    }

    private MongoJobs mongo() {
        return mongo.orElseThrow(() -> ApiException.disabled(NO_MONGO));
    }

    private ObjectNode bodyObject(Context ctx) {
        JsonNode body;
        try {
            body = mapper.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw ApiException.badRequest("body must be a JSON object: " + firstLine(e.getMessage()));
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body must be a JSON object");
        }
        return (ObjectNode) body;
    }

    private Document document(ObjectNode json) {
        try {
            return Document.parse(mapper.writeValueAsString(json));
        } catch (IOException | RuntimeException e) {
            throw ApiException.badRequest("body: " + firstLine(e.getMessage()));
        }
    }

    private JsonNode json(Document document) {
        try {
            return ExtendedJson.simplify(mapper.readTree(document.toJson(RELAXED)));
        } catch (IOException e) {
            throw new IllegalStateException("a stored document is not JSON", e);
        }
    }

    private static String textId(JsonNode id, String field) {
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isTextual() || id.asText().isBlank()) {
            throw ApiException.badRequest("field '" + field + "': expected a non-empty string id, got " + id.getNodeType());
        }
        return id.asText();
    }

    /**
     * The registration body checked field by field (400 naming the field and what it got, before anything is
     * read or written), with optional fields sent as null dropped: a wrong type must never turn into a default,
     * as {@code "enabled": "yes"} once turned into false.
     */
    private static ObjectNode registration(ObjectNode body) {
        List<String> nulls = new ArrayList<>();
        body.fields().forEachRemaining(field -> {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (!REGISTER_FIELDS.contains(name)) {
                throw ApiException.badRequest("field '" + Params.shorten(name) + "': not a registration field, expected "
                        + new java.util.TreeSet<>(REGISTER_FIELDS));
            }
            if (value.isNull() && !REGISTER_REQUIRED.contains(name)) {
                nulls.add(name);
                return;
            }
            String expected = switch (name) {
                case "enabled" -> value.isBoolean() ? null : "expected true or false";
                case "config" -> value.isObject() ? null : "expected an object";
                default -> REGISTER_REQUIRED.contains(name)
                        ? value.isTextual() && !value.asText().isBlank() ? null : "expected a non-empty string"
                        : value.isTextual() ? null : "expected a string";
            };
            if (expected != null) {
                throw ApiException.badRequest("field '" + name + "': " + expected + ", got " + describe(value));
            }
        });
        for (String required : REGISTER_REQUIRED) {
            if (!body.has(required)) {
                throw ApiException.badRequest("field '" + required + "': required, expected a non-empty string");
            }
        }
        body.remove(nulls);
        return body;
    }

    /** As the ticker's parser shows a value in its messages: its JSON type, then the value, shortened. */
    private static String describe(JsonNode value) {
        String kind = value.isTextual() ? "string" : value.isNumber() ? "number" : value.isBoolean() ? "boolean"
                : value.isArray() ? "array" : value.isObject() ? "object" : "null";
        return kind + " " + Params.shorten(value.isTextual() ? "'" + value.asText() + "'" : value.toString());
    }

    private static Instant until(JsonNode until) {
        if (!until.isTextual()) {
            throw ApiException.badRequest("field 'until': expected an ISO-8601 instant like '2026-01-31T09:00:00Z'");
        }
        try {
            return Instant.parse(until.asText());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("field 'until': expected an ISO-8601 instant like '2026-01-31T09:00:00Z', got '"
                    + Params.shorten(until.asText()) + "'");
        }
    }

    /** {@code If-Match: "3"} (also {@code W/"3"} or a bare 3); absent: no precondition. */
    private static Long ifMatch(Context ctx) {
        String header = ctx.header("If-Match");
        if (header == null || header.isBlank()) {
            return null;
        }
        String text = header.trim();
        if (text.startsWith("W/")) {
            text = text.substring(2);
        }
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("If-Match must be a job version like \"3\" (the ETag of a read or write), got '"
                    + Params.shorten(header) + "'");
        }
    }

    private static void checkPrecondition(String jobId, Long ifMatch, Long version) {
        if (ifMatch != null && !ifMatch.equals(version)) {
            throw ApiException.preconditionFailed("job '" + Params.shorten(jobId) + "' is at version " + version
                    + ", not " + ifMatch + ": read it again and reapply the change");
        }
    }

    private static ApiException stale(String jobId, MongoJobs jobs) {
        Long now = jobs.find(jobId).map(JobWriteRoutes::version).orElse(null);
        return ApiException.preconditionFailed("job '" + Params.shorten(jobId) + "' changed meanwhile (now at version "
                + now + "): read it again and reapply the change");
    }

    private static Long version(Document document) {
        return document.get("version") instanceof Number n ? n.longValue() : null;
    }

    private static ApiException notFound(String jobId) {
        return ApiException.notFound("job '" + Params.shorten(jobId) + "' is not in MongoDB");
    }

    private static String pathSegment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

}
