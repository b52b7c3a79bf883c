package io.cronstream.ticker.job;

import io.cronstream.schemas.RecordSize;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
        String keyId = key == null || key.length == 0 ? null : normaliseId(utf8(key, "key"));
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

    /**
     * The id {@link #parse} stores a record's job under (its normalised key, else the document's {@code _id}),
     * so the record can be routed to the task that owns that id; null when the record has no readable id
     * (it is then dead-lettered wherever it lands).
     */
    public static String routingId(byte[] key, byte[] value) {
        try {
            if (key != null && key.length > 0) {
                return normaliseId(utf8(key, "key"));
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
