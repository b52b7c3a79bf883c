package io.cronstream.ticker.job;

import io.cronstream.schemas.RecordSize;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.schemas.Json;
import io.cronstream.ticker.schedule.CronDialect;
import io.cronstream.ticker.schedule.CronSchedule;
import io.cronstream.ticker.schedule.Durations;
import io.cronstream.ticker.schedule.IntervalSchedule;
import io.cronstream.ticker.schedule.JobSchedule;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Reads a record of the jobs topic (DESIGN §4). Throws {@link InvalidRecordException} only when
 * there is no document to keep (not JSON, not an object, no id); anything else that is wrong
 * becomes a definition with {@code valid=false} and every problem listed in {@code error}.
 */
public final class JobDefinitionParser {

    /** Ids are keys in stores, URLs and logs: bounded and printable. */
    public static final int MAX_ID_LENGTH = 256;

    /**
     * A definition (its payload included) is kept in a store and its payload rides on every due event: bounded
     * far below Kafka's default 1 MB record limit. Real definitions are a few hundred bytes.
     */
    public static final int MAX_DOCUMENT_BYTES = 256 * 1024;

    /** The latest {@code endAt}: years have four digits. */
    private static final Instant END_OF_9999 = Instant.parse("9999-12-31T23:59:59.999Z");

    /** A run timeout or start deadline below a second is a typo (milliseconds meant as seconds). */
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    /**
     * The longest wait before a retry, first or capped: a retry a week later is already a new run in all but name,
     * and retries wait in the ticker's store until then.
     */
    static final Duration MAX_RETRY_INTERVAL = Duration.ofDays(7);
    /** A coefficient above 10 reaches maxInterval in a step or two: no backoff to speak of. */
    static final double MAX_BACKOFF_COEFFICIENT = 10;
    /** More consecutive failures than this before pausing is "never pause". */
    static final int MAX_PAUSE_ON_FAILURE = 1000;
    /** Upstream jobs of one job: each is an edge in the job graph, and a dependent fires once per upstream end. */
    public static final int MAX_UPSTREAMS = 20;
    static final int MAX_WEBHOOKS = 10;
    static final int MAX_URL_LENGTH = 2048;

    private final Defaults defaults;

    /** Fallbacks for fields a document leaves out. */
    public record Defaults(MisfirePolicy misfirePolicy, Duration catchupWindow, Duration stuckAfter) {
        public static Defaults standard() {
            return new Defaults(MisfirePolicy.FIRE_ONCE, Duration.ofHours(1), Duration.ofMinutes(5));
        }
    }

    public JobDefinitionParser(Defaults defaults) {
        this.defaults = defaults;
    }

    /**
     * @param key   the record key (the connector's bare {@code _id}); may be null or empty when the value has {@code _id}
     * @param value the document, or null for a tombstone
     * @param now   when the record is read: a cron that cannot fire after it is invalid
     */
    public ParsedJob parse(byte[] key, byte[] value, Instant now) {
        String keyId = key == null || key.length == 0 ? null : idOfKey(key);
        if (value == null) {
            return new ParsedJob.Deleted(requireId(keyId));
        }
        RecordSize.requireAtMost(value, MAX_DOCUMENT_BYTES, "a job definition");
        JsonNode doc = readDocument(value);
        DocumentFields fields = new DocumentFields(doc);
        String docId = docId(doc.get("_id"));
        String jobId = requireId(keyId != null ? keyId : docId);
        if (keyId != null && docId != null && !keyId.equals(docId)) {
            fields.error("_id", "'" + docId + "' does not match the record key '" + keyId + "'");
        }
        Optional<OversizedDocument> oversized = OversizedDocument.of(doc);
        if (oversized.isPresent()) {
            return new ParsedJob.TooLarge(jobId, oversized.get());
        }
        if (Boolean.TRUE.equals(fields.bool("isDeleted"))) {
            return new ParsedJob.Deleted(jobId);
        }
        return new ParsedJob.Defined(define(jobId, fields, now));
    }

    private JobDefinition define(String jobId, DocumentFields fields, Instant now) {
        String name = orDefault(fields.text("name", "displayName"), jobId);
        String jobType = orDefault(fields.text("jobType", "type"), "generic");
        String timeZone = orDefault(fields.text("timeZone"), "UTC");
        ZoneId zone = zone(fields, timeZone);
        String cron = fields.text("cronExpression", "schedule", "cron");
        CronDialect cronType = fields.enumValue(CronDialect.class, "cronType");
        Duration interval = atLeast(fields, fields.positiveDuration("interval"), IntervalSchedule.MIN_INTERVAL,
                "interval");
        Instant runAt = fields.instant(zone, "runAt");
        Boolean enabled = fields.bool("isEnabled", "enabled");
        JsonNode payload = payload(fields);
        Instant startAt = fields.instant(zone, "startAt");
        Instant endAt = fields.instant(zone, END_OF_9999, "endAt");
        Long maxRuns = fields.positiveLong("maxRuns");
        MisfirePolicy misfire = orDefault(fields.enumValue(MisfirePolicy.class, "misfirePolicy"), defaults.misfirePolicy());
        Duration catchup = orDefault(fields.positiveDuration("catchupWindow"), defaults.catchupWindow());
        OverlapPolicy overlap = orDefault(fields.enumValue(OverlapPolicy.class, "overlapPolicy"), OverlapPolicy.ALLOW);
        Duration stuckAfter = orDefault(fields.positiveDuration("stuckAfter"), defaults.stuckAfter());
        Duration failAfter = fields.positiveDuration("failAfter");
        JobDefinition.Pause pause = pause(fields, zone);
        Long version = fields.positiveLong("version");
        String updatedBy = fields.text("updatedBy");
        RetryPolicy retry = retry(fields);
        Duration runTimeout = atLeast(fields, fields.positiveDuration("runTimeout"), MIN_TIMEOUT, "runTimeout");
        Duration startDeadline = atLeast(fields, fields.positiveDuration("startDeadline"), MIN_TIMEOUT,
                "startDeadline");
        Integer pauseOnFailure = fields.wholeNumber("pauseOnFailure", 1, MAX_PAUSE_ON_FAILURE);
        java.util.List<Upstream> after = after(fields, jobId);
        Notify notify = notify(fields);
        ScheduleType scheduleType = scheduleType(fields, cron, interval, runAt);
        if (startAt != null && endAt != null && endAt.isBefore(startAt)) {
            fields.error("endAt", "'" + endAt + "' is before startAt '" + startAt + "'");
        }

        JobDefinition candidate = JobDefinition.builder(jobId)
                .name(name)
                .jobType(jobType)
                .scheduleType(scheduleType)
                .cron(cron)
                .cronType(cronType)
                .interval(interval)
                .runAt(runAt)
                .timeZone(timeZone)
                .enabled(enabled == null || enabled)
                .payload(payload)
                .startAt(startAt)
                .endAt(endAt)
                .maxRuns(maxRuns)
                .misfirePolicy(misfire)
                .catchupWindow(catchup)
                .overlapPolicy(overlap)
                .stuckAfter(stuckAfter)
                .failAfter(failAfter)
                .pause(pause)
                .version(version)
                .updatedBy(updatedBy)
                .retry(retry)
                .runTimeout(runTimeout)
                .startDeadline(startDeadline)
                .pauseOnFailure(pauseOnFailure)
                .after(after)
                .notifications(notify)
                .build();
        if (!fields.errors().isEmpty()) {
            return candidate.invalid(String.join("; ", fields.errors()));
        }
        return compiled(candidate.with(b -> b.valid(true)), fields, now);
    }

    /** Compiles the schedule once to fill in the dialect and description, or to find why it cannot fire. */
    private static JobDefinition compiled(JobDefinition candidate, DocumentFields fields, Instant now) {
        String field = scheduleField(candidate.scheduleType());
        try {
            JobSchedule schedule = candidate.schedule(now);
            // Compute what the ticker will compute (the first fire and the one after it) now, so a value the
            // schedule cannot work with makes the definition invalid here instead of failing when it fires.
            Optional<Instant> first = schedule.firstFire(now, null, 0);
            first.ifPresent(time -> schedule.nextAfter(time, 1));
            if (schedule.schedule() instanceof CronSchedule cron && first.isEmpty() && candidate.endAt() == null) {
                fields.error(field, "'" + cron.expression() + "' never fires after " + now);
            }
            String description = schedule.schedule().describe();
            if (fields.errors().isEmpty()) {
                CronDialect dialect = schedule.schedule() instanceof CronSchedule cron ? cron.dialect() : null;
                return withOutcome(candidate, dialect, true, null, description);
            }
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            fields.error(field, e.getMessage());
        } catch (RuntimeException e) {
            // Not a message written for people: name the exception so the cause can be found.
            fields.error(field, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return withOutcome(candidate, candidate.cronType(), false, String.join("; ", fields.errors()), null);
    }

    private static JobDefinition withOutcome(JobDefinition d, CronDialect dialect, boolean valid, String error,
            String description) {
        return d.with(b -> b.cronType(dialect).valid(valid).error(error).description(description));
    }

    /** {@code retry} (DESIGN §12), every field optional; null when absent (the definition then has no retry). */
    private static RetryPolicy retry(DocumentFields fields) {
        DocumentFields retry = fields.object("retry");
        if (retry == null) {
            return null;
        }
        Integer maxAttempts = retry.wholeNumber("maxAttempts", 1, DueEvent.MAX_ATTEMPTS);
        Duration initial = orDefault(atMost(retry, retry.positiveDuration("initialInterval"), MAX_RETRY_INTERVAL,
                "initialInterval"), RetryPolicy.DEFAULT_INITIAL_INTERVAL);
        Double coefficient = retry.number("backoffCoefficient", 1, MAX_BACKOFF_COEFFICIENT);
        Duration max = atMost(retry, retry.positiveDuration("maxInterval"), MAX_RETRY_INTERVAL, "maxInterval");
        if (max != null && max.compareTo(initial) < 0) {
            retry.error("maxInterval", "'" + max + "' is shorter than initialInterval '" + initial + "'");
        }
        Double jitter = retry.number("jitter", 0, 1);
        return new RetryPolicy(orDefault(maxAttempts, 1), initial,
                orDefault(coefficient, RetryPolicy.DEFAULT_BACKOFF_COEFFICIENT),
                // without maxInterval, a first interval beyond the default cap is the cap: the delays never shrink
                max != null ? max : initial.compareTo(RetryPolicy.DEFAULT_MAX_INTERVAL) > 0 ? initial
                        : RetryPolicy.DEFAULT_MAX_INTERVAL,
                orDefault(jitter, RetryPolicy.DEFAULT_JITTER));
    }

    /**
     * {@code after: [{jobId, on}]}: the jobs this one runs after. Whether they exist, and whether they form a cycle,
     * depends on other definitions: the job graph answers that ({@code io.cronstream.ticker.JobGraph}).
     */
    private static java.util.List<Upstream> after(DocumentFields fields, String jobId) {
        if (fields.present("after") == null) {
            return java.util.List.of();
        }
        JsonNode value = fields.node("after");
        if (!value.isArray()) {
            fields.error("after", "expected an array of {\"jobId\": .., \"on\": COMPLETED|FAILED|ANY}, got "
                    + DocumentFields.describe(value));
            return java.util.List.of();
        }
        if (value.size() > MAX_UPSTREAMS) {
            fields.error("after", "names " + value.size() + " jobs, at most " + MAX_UPSTREAMS + " are allowed");
            return java.util.List.of();
        }
        java.util.Map<String, Upstream> upstreams = new java.util.LinkedHashMap<>();
        int errorsBefore = fields.errors().size();
        for (int i = 0; i < value.size(); i++) {
            String field = "after[" + i + "]";
            JsonNode entry = value.get(i);
            if (!entry.isObject()) {
                fields.error(field, "expected {\"jobId\": .., \"on\": COMPLETED|FAILED|ANY}, got "
                        + DocumentFields.describe(entry));
                continue;
            }
            DocumentFields item = fields.object(field, entry);
            String upstream = item.text("jobId");
            Upstream.On on = orDefault(item.enumValue(Upstream.On.class, "on"), Upstream.On.COMPLETED);
            if (upstream == null) {
                if (item.present("jobId") == null) {
                    item.error("jobId", "is required");
                }
                continue;
            }
            if (upstream.isBlank() || upstream.length() > MAX_ID_LENGTH
                    || upstream.chars().anyMatch(Character::isISOControl)) {
                item.error("jobId", "expected a job id (1 to " + MAX_ID_LENGTH
                        + " characters, no control characters), got " + DocumentFields.describe(item.node("jobId")));
            } else if (upstream.equals(jobId)) {
                fields.error("after", "job '" + jobId + "' cannot run after itself");
            } else if (upstreams.putIfAbsent(upstream, new Upstream(upstream, on)) != null) {
                fields.error("after", "job '" + upstream + "' is named twice (use on: ANY for either outcome)");
            }
        }
        return fields.errors().size() > errorsBefore ? java.util.List.of()
                : java.util.List.copyOf(upstreams.values());
    }

    /** {@code notify: {webhooks: [url], on: [alert kind]}}; null when absent (the global setting applies). */
    private static Notify notify(DocumentFields fields) {
        DocumentFields notify = fields.object("notify");
        if (notify == null) {
            return null;
        }
        java.util.List<String> webhooks = new java.util.ArrayList<>();
        for (JsonNode url : notify.array("webhooks", MAX_WEBHOOKS)) {
            String problem = webhookProblem(url);
            if (problem != null) {
                notify.error("webhooks", problem);
            } else {
                webhooks.add(url.asText());
            }
        }
        java.util.List<AlertKind> kinds = new java.util.ArrayList<>();
        for (JsonNode kind : notify.array("on", AlertKind.values().length * 2)) {
            AlertKind known = kind.isTextual() ? alertKind(kind.asText()) : null;
            if (known == null) {
                notify.error("on", "expected alert kinds " + java.util.Arrays.toString(AlertKind.values())
                        + ", got " + DocumentFields.describe(kind));
            } else if (!kinds.contains(known)) {
                kinds.add(known);
            }
        }
        return new Notify(webhooks, kinds);
    }

    private static AlertKind alertKind(String text) {
        String wanted = text.trim().replace('-', '_').replace(' ', '_').toUpperCase(java.util.Locale.ROOT);
        for (AlertKind kind : AlertKind.values()) {
            if (kind.name().equals(wanted)) {
                return kind;
            }
        }
        return null;
    }

    /** Null when {@code url} is an absolute http(s) URL with a host, else why not. */
    private static String webhookProblem(JsonNode url) {
        String expected = "expected an http(s) URL like 'https://hooks.example.com/T0/B0', got ";
        if (!url.isTextual() || url.asText().length() > MAX_URL_LENGTH) {
            return expected + DocumentFields.describe(url);
        }
        try {
            java.net.URI uri = new java.net.URI(url.asText());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && !uri.getHost().isEmpty()) {
                return null;
            }
        } catch (java.net.URISyntaxException e) {
            // the message below
        }
        return expected + DocumentFields.describe(url);
    }

    private static Duration atMost(DocumentFields fields, Duration value, Duration max, String field) {
        if (value != null && value.compareTo(max) > 0) {
            fields.error(field, "must be at most " + Durations.humanize(max) + " (" + max + "), got "
                    + DocumentFields.describe(fields.node(field)));
            return null;
        }
        return value;
    }

    /** Paused when {@code pausedUntil} or {@code pausedBy} is set: until then, or until resumed. */
    private static JobDefinition.Pause pause(DocumentFields fields, ZoneId zone) {
        Instant until = fields.instant(zone, "pausedUntil");
        String note = fields.text("pauseNote");
        String by = fields.text("pausedBy");
        if (until == null && by == null) {
            return null;
        }
        return new JobDefinition.Pause(until, note, by);
    }

    private static ScheduleType scheduleType(DocumentFields fields, String cron, Duration interval, Instant runAt) {
        ScheduleType declared = fields.enumValue(ScheduleType.class, "scheduleType");
        boolean scheduleTypeUnreadable = declared == null && fields.present("scheduleType") != null;
        ScheduleType type = declared;
        if (type == null && !scheduleTypeUnreadable) {
            type = cron != null ? ScheduleType.CRON : interval != null ? ScheduleType.INTERVAL
                    : runAt != null ? ScheduleType.ONCE : null;
        }
        if (type == null) {
            if (!scheduleTypeUnreadable && fields.errors().isEmpty()) {
                fields.error("scheduleType", "no schedule: set cronExpression (or schedule/cron), interval, runAt, "
                        + "or scheduleType 'Manual'");
            }
            return null;
        }
        String cronOnly = cron == null ? "" : "; the cron in '" + fields.present("cronExpression", "schedule", "cron")
                + "' is only used by scheduleType Cron";
        switch (type) {
            case CRON -> requirePresent(fields, cron, "scheduleType Cron needs a cron expression in cronExpression, "
                    + "schedule or cron", "cronExpression", "schedule", "cron");
            case INTERVAL -> requirePresent(fields, interval, "scheduleType Interval needs an interval like 'PT30M'"
                    + cronOnly, "interval");
            case ONCE -> requirePresent(fields, runAt, "scheduleType Once needs runAt, an ISO-8601 date-time"
                    + cronOnly, "runAt");
            case MANUAL -> { }
        }
        return type;
    }

    /** Reports the first of {@code aliases} as missing unless one of them is present (then it has its own error). */
    private static void requirePresent(DocumentFields fields, Object value, String message, String... aliases) {
        if (value == null && fields.present(aliases) == null) {
            fields.error(aliases[0], message);
        }
    }

    private static Duration atLeast(DocumentFields fields, Duration value, Duration min, String field) {
        if (value != null && value.compareTo(min) < 0) {
            fields.error(field, "must be at least " + Durations.humanize(min) + " (" + min + "), got "
                    + DocumentFields.describe(fields.node(field)));
            return null;
        }
        return value;
    }

    private static String scheduleField(ScheduleType type) {
        return switch (type) {
            case CRON -> "cronExpression";
            case INTERVAL -> "interval";
            case ONCE -> "runAt";
            case MANUAL -> "scheduleType";
        };
    }

    private static ZoneId zone(DocumentFields fields, String timeZone) {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            fields.error("timeZone", "unknown time zone '" + timeZone + "', expected an IANA id like 'Europe/Berlin' or 'UTC'");
            return ZoneOffset.UTC;
        }
    }

    private static JsonNode payload(DocumentFields fields) {
        String name = fields.present("parameters", "payload", "config");
        if (name == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode value = fields.node(name);
        if (!value.isObject()) {
            fields.error(name, "expected an object, got " + DocumentFields.describe(value));
            return JsonNodeFactory.instance.objectNode();
        }
        return value;
    }

    private static JsonNode readDocument(byte[] value) {
        String text = utf8(value, "value");
        JsonNode doc;
        try {
            doc = Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new InvalidRecordException("malformed JSON: " + firstLine(e.getMessage()), e);
        }
        if (doc == null || !doc.isObject()) {
            throw new InvalidRecordException("a job definition must be a JSON object, got "
                    + (doc == null ? "nothing" : DocumentFields.describe(doc)));
        }
        return ExtendedJson.simplify(doc);
    }

    /**
     * The job id a record key names, in any spelling a job record's key may have (bare, a JSON string,
     * {@code {"_id": ...}}, Extended JSON): commands are keyed as job records are.
     *
     * @throws InvalidRecordException when the key is not UTF-8
     */
    public static String idOfKey(byte[] key) {
        return normaliseId(utf8(key, "key"));
    }

    /** The connector's key is the bare id; tolerate the JSON spellings other configurations produce. */
    private static String normaliseId(String key) {
        String trimmed = key.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("\"")) {
            try {
                JsonNode node = ExtendedJson.simplify(Json.mapper().readTree(trimmed));
                if (node.isObject() && node.has("_id")) {
                    node = node.get("_id");
                }
                String id = docId(node);
                if (id != null) {
                    return id;
                }
            } catch (IOException notJson) {
                return key;
            }
        }
        return key;
    }

    private static String docId(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        JsonNode simple = ExtendedJson.simplify(id);
        return simple.isValueNode() ? simple.asText() : simple.toString();
    }

    private static String requireId(String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidRecordException("missing job id: the record has no key and the document no _id"
                    + (id == null || id.isEmpty() ? "" : " (a blank one does not count)"));
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new InvalidRecordException("job id is " + id.length() + " characters long, at most "
                    + MAX_ID_LENGTH + " are allowed");
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRecordException("job id contains control characters");
        }
        return id;
    }

    private static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRecordException("record " + what + " is not valid UTF-8", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** Whether the ticker can hold a job of this id (the one check {@link #parse} applies to every id). */
    public static boolean isJobId(String id) {
        try {
            requireId(id);
            return true;
        } catch (InvalidRecordException refused) {
            return false;
        }
    }

    /** The stub ({@link OversizedDocument}) of a record whose value is {@code bytes} long, over the limit. */
    public static byte[] stubBytes(int bytes) {
        return OversizedDocument.stub(null, bytes, null).toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The id {@link #parse} stores a record's job under (its normalised key, else the document's {@code _id}),
     * so the record can be routed to the task that owns that id; null when the record has no readable id
     * (it is then dead-lettered wherever it lands).
     */
    public static String routingId(byte[] key, byte[] value) {
        try {
            if (key != null && key.length > 0) {
                return idOfKey(key);
            }
            if (value == null || value.length > MAX_DOCUMENT_BYTES) {
                return null;
            }
            return docId(readDocument(value).get("_id"));
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
