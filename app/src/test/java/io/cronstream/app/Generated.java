package io.cronstream.app;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile input for every topic Cronstream reads. Values are JSON text fragments, not
 * Jackson nodes, so they can be what no serializer writes: {@code 1e400}, 30-digit integers, duplicate keys,
 * 600 levels of nesting, a 300 KB string, invalid UTF-8.
 */
final class Generated {

    /** Job ids the job, command and progress generators share, so records meet existing state. */
    static final List<String> JOB_IDS = List.of("j0", "j1", "j2", "j3", "j4", "j5", "j6", "j7",
            "670a1b2c3d4e5f6789abcdef", "Weird Id ü", "a\"quote", "x/y?z");
    static final List<String> LIBRARY_IDS = List.of("photos", "music", "lib-3", "Ünïcode", "a b");

    private static final Map<Integer, Arbitrary<String>> ANY_VALUES = new java.util.HashMap<>();
    /** Nested past Jackson's limits, a string past the document limit, an array of 20,000 items. */
    private static final List<String> HUGE_VALUES = List.of(deep(600), deep(20),
            "\"" + "x".repeat(300_000) + "\"", "[" + "1,".repeat(20_000) + "1]");
    private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().toList();

    /** Every field and alias of DESIGN §4, with a generator of plausible values for it (and any value at all). */
    private static final Map<String, Arbitrary<String>> JOB_FIELDS = Map.ofEntries(
            Map.entry("_id", id()),
            Map.entry("name", text()), Map.entry("displayName", text()),
            Map.entry("jobType", text()), Map.entry("type", text()),
            Map.entry("scheduleType", enumText("Cron", "Interval", "Once", "Manual")),
            Map.entry("cronExpression", cron()), Map.entry("schedule", cron()), Map.entry("cron", cron()),
            Map.entry("cronType", enumText("UNIX", "SPRING", "QUARTZ")),
            Map.entry("interval", duration()),
            Map.entry("runAt", instant()), Map.entry("startAt", instant()), Map.entry("endAt", instant()),
            Map.entry("pausedUntil", instant()),
            Map.entry("timeZone", zone()),
            Map.entry("isEnabled", bool()), Map.entry("enabled", bool()), Map.entry("isDeleted", bool()),
            Map.entry("parameters", anyValue(3)), Map.entry("payload", anyValue(3)), Map.entry("config", anyValue(3)),
            Map.entry("maxRuns", number()),
            Map.entry("misfirePolicy", enumText("FIRE_ONCE", "SKIP", "FIRE_ALL")),
            Map.entry("catchupWindow", duration()),
            Map.entry("overlapPolicy", enumText("ALLOW", "SKIP")),
            Map.entry("stuckAfter", duration()), Map.entry("failAfter", duration()),
            Map.entry("runTimeout", duration()), Map.entry("startDeadline", duration()),
            Map.entry("pauseNote", text()), Map.entry("pausedBy", text()),
            Map.entry("retry", retry()),
            Map.entry("pauseOnFailure", number()),
            Map.entry("after", after()),
            Map.entry("notify", notifySettings()),
            Map.entry("serviceName", text()), Map.entry("serviceUrl", text()), Map.entry("description", text()),
            Map.entry("version", number()), Map.entry("updatedBy", text()), Map.entry("updatedAt", instant()));

    /**
     * Values a careful producer would write, including the plausible mistakes (an interval of half a second, a
     * cron in the wrong field, a time in the gap): documents from these are mostly valid, so the paths behind
     * validation (scheduling, firing) get exercised, not only the checks.
     */
    private static final Map<String, Arbitrary<String>> PLAUSIBLE_FIELDS = Map.ofEntries(
            Map.entry("name", Arbitraries.of("\"nightly\"", "\"Library Scan\"")),
            Map.entry("jobType", Arbitraries.of("\"LibraryScan\"", "\"generic\"")),
            Map.entry("scheduleType", Arbitraries.of("\"Cron\"", "\"Interval\"", "\"Once\"", "\"Manual\"",
                    "\"interval\"", "\"once\"")),
            Map.entry("cronExpression", plausibleCron()), Map.entry("schedule", plausibleCron()),
            Map.entry("cron", plausibleCron()),
            Map.entry("cronType", Arbitraries.of("\"UNIX\"", "\"SPRING\"", "\"QUARTZ\"")),
            Map.entry("interval", Arbitraries.of("\"PT0.0001S\"", "0.0005", "0.5", "\"00:00:00.5\"", "\"PT0.999S\"",
                    "1", "1.5", "\"PT1S\"", "\"PT30M\"", "\"00:30:00\"", "86400", "\"P36525D\"", "3155760000")),
            Map.entry("runAt", plausibleInstant()), Map.entry("startAt", plausibleInstant()),
            Map.entry("endAt", plausibleInstant()),
            Map.entry("timeZone", Arbitraries.of("\"UTC\"", "\"Europe/Berlin\"", "\"America/New_York\"",
                    "\"Australia/Lord_Howe\"", "\"Pacific/Kiritimati\"", "\"Asia/Kathmandu\"", "\"+05:30\"")),
            Map.entry("isEnabled", Arbitraries.of("true", "false")), Map.entry("enabled", Arbitraries.of("true", "false")),
            Map.entry("isDeleted", Arbitraries.of("false", "false", "false", "true")),
            Map.entry("parameters", Arbitraries.of("{}", "{\"libraryId\": \"photos\"}")),
            Map.entry("maxRuns", Arbitraries.of("1", "2", "5", "9223372036854775807")),
            Map.entry("misfirePolicy", Arbitraries.of("\"FIRE_ONCE\"", "\"SKIP\"", "\"FIRE_ALL\"")),
            Map.entry("catchupWindow", Arbitraries.of("\"PT1S\"", "\"PT1H\"", "\"P36525D\"")),
            Map.entry("overlapPolicy", Arbitraries.of("\"ALLOW\"", "\"SKIP\"")),
            Map.entry("stuckAfter", Arbitraries.of("\"PT1S\"", "\"PT5M\"", "\"P36525D\"")),
            Map.entry("failAfter", Arbitraries.of("\"PT1S\"", "\"PT1H\"", "\"P36525D\"")));

    private Generated() {
    }

    /** A record: key and value bytes, either possibly null. */
    record Raw(byte[] key, byte[] value) {
        @Override
        public String toString() {
            return "key=" + show(key) + " value=" + show(value);
        }

        private static String show(byte[] bytes) {
            if (bytes == null) {
                return "null";
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            return text.length() > 2000 ? text.substring(0, 2000) + "…(" + bytes.length + " bytes)" : text;
        }
    }

    // ---- records per topic

    /** Job documents from random subsets of every field with random values, under plausible and odd keys. */
    static Arbitrary<Raw> jobRecords() {
        Arbitrary<String> document = Combinators.combine(JOB_FIELDS.entrySet().stream()
                .map(field -> Arbitraries.frequencyOf(
                        Tuple.of(3, field.getValue().map(value -> quote(field.getKey()) + ": " + value)),
                        Tuple.of(1, anyValue(3).map(value -> quote(field.getKey()) + ": " + value)),
                        Tuple.of(8, Arbitraries.just(""))))
                .toList())
                .as(fields -> "{" + fields.stream().filter(f -> !f.isEmpty()).collect(Collectors.joining(", ")) + "}");
        Arbitrary<String> plausible = Combinators.combine(PLAUSIBLE_FIELDS.entrySet().stream()
                .map(field -> Arbitraries.frequencyOf(
                        Tuple.of(2, field.getValue().map(value -> quote(field.getKey()) + ": " + value)),
                        Tuple.of(5, Arbitraries.just(""))))
                .toList())
                .as(fields -> "{" + fields.stream().filter(f -> !f.isEmpty()).collect(Collectors.joining(", ")) + "}");
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(10, document),
                Tuple.of(10, plausible),
                Tuple.of(1, Arbitraries.just(null)), // tombstone
                Tuple.of(2, anyValue(4)));
        return Combinators.combine(jobKey(), value, garbageBytes()).as((key, doc, garbage) ->
                new Raw(key == null ? null : utf8(key), garbage != null ? garbage : doc == null ? null : utf8(doc)));
    }

    /** Commands: TRIGGER and RUN_FINISHED with every field right or wrong, for known and unknown jobs. */
    static Arbitrary<Raw> commandRecords() {
        Arbitrary<String> idText = Arbitraries.of(JOB_IDS).map(Generated::quote);
        Arbitrary<String> command = Combinators.combine(
                optional(Arbitraries.oneOf(enumText("TRIGGER", "RUN_FINISHED"), anyValue(1))),
                optional(Arbitraries.oneOf(idText, idText, anyValue(1))),
                optional(text()), optional(instant()), optional(Arbitraries.oneOf(runIdText(), anyValue(1))),
                optional(enumText("COMPLETED", "FAILED")))
                .as((type, jobId, by, at, runId, status) -> object(
                        "type", type, "jobId", jobId, "triggeredBy", by, "requestedAt", at, "runId", runId,
                        "status", status));
        Arbitrary<Raw> hostile = Combinators.combine(Arbitraries.oneOf(Arbitraries.of(JOB_IDS), text()), command,
                garbageBytes()).as((key, value, garbage) -> new Raw(utf8(unquote(key)),
                        garbage != null ? garbage : utf8(value)));
        return Arbitraries.frequencyOf(Tuple.of(1, hostile), Tuple.of(2, plausibleCommand()));
    }

    /**
     * What the API writes, keyed by its job id: triggers of known, invalid and unknown jobs, named by a few
     * request ids and times so that retried and redelivered requests come up, and RUN_FINISHED.
     */
    private static Arbitrary<Raw> plausibleCommand() {
        Arbitrary<String> requestedAt = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("2026-01-05T10:00:00Z",
                "2026-01-05T10:00:00.250Z", "2026-01-05T10:00:01Z").map(Generated::quote)), Tuple.of(1, plausibleInstant()));
        Arbitrary<String> trigger = Combinators.combine(optional(text()), requestedAt,
                optional(Arbitraries.of("deploy-1", "deploy-2", "retry.me", "k_3").map(Generated::quote)))
                .as((by, at, key) -> object("type", "\"TRIGGER\"", "triggeredBy", by, "requestedAt", at,
                        "requestId", key));
        Arbitrary<String> finished = Combinators.combine(runIdText(), requestedAt,
                optional(enumText("COMPLETED", "FAILED")))
                .as((runId, at, status) -> object("type", "\"RUN_FINISHED\"", "requestedAt", at, "runId", runId,
                        "status", status));
        // keyed as the API keys them, or with another spelling of the job id a job record's key may have
        Arbitrary<Function<String, String>> keySpelling = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(id -> id)),
                Tuple.of(1, Arbitraries.just(Generated::quote)), Tuple.of(1, Arbitraries.just(id -> "{\"_id\": "
                        + quote(id) + "}")));
        return Combinators.combine(Arbitraries.of(JOB_IDS), keySpelling, Arbitraries.frequencyOf(Tuple.of(4, trigger),
                Tuple.of(1, finished))).as((jobId, spelling, fields) -> new Raw(utf8(spelling.apply(jobId)),
                        utf8("{\"jobId\": " + quote(jobId) + ", " + fields.substring(1))));
    }

    /** A sequence of stage-progress events for one run (or, now and then, one garbled record). */
    static Arbitrary<List<Raw>> progressSequences() {
        return Combinators.combine(runIdText(), optional(Arbitraries.of(JOB_IDS).map(Generated::quote)))
                .flatAs((runId, jobId) -> progressEvent(runId, jobId).list().ofMinSize(1).ofMaxSize(6));
    }

    private static Arbitrary<Raw> progressEvent(String runId, String jobId) {
        Arbitrary<String> stage = Arbitraries.oneOf(Arbitraries.of("\"scan\"", "\"thumbnail\"", "\"cache\"",
                "\"cleanup\""), text(), anyValue(1));
        Arbitrary<String> event = objectOf(
                "runId", Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(runId)), Tuple.of(1, runIdText())),
                "jobId", jobId == null ? Arbitraries.just(null) : Arbitraries.just(jobId),
                "stage", optional(stage),
                "kind", Arbitraries.oneOf(enumText("RUN_STARTED", "STAGE_STARTED", "PROGRESS", "STAGE_COMPLETED",
                        "STAGE_FAILED", "RUN_COMPLETED", "RUN_FAILED", "HEARTBEAT"), anyValue(1)),
                "total", optional(number()), "increment", optional(number()), "completed", optional(number()),
                "failed", optional(number()), "message", optional(text()), "at", optional(instant()),
                "eventId", optional(Arbitraries.of("\"e1\"", "\"e2\"", "\"e3\"")),
                "result", optional(anyValue(3)), "error", optional(text()));
        return Combinators.combine(event, garbageBytes())
                .as((value, garbage) -> new Raw(utf8(unquote(runId)), garbage != null ? garbage : utf8(value)));
    }

    /** A sequence of file changes for one library, some naming a run. */
    static Arbitrary<List<Raw>> fileChangeSequences() {
        return Arbitraries.of(LIBRARY_IDS).map(Generated::quote)
                .flatMap(library -> fileChange(library).list().ofMinSize(1).ofMaxSize(6));
    }

    private static Arbitrary<Raw> fileChange(String libraryId) {
        Arbitrary<String> path = Arbitraries.oneOf(Arbitraries.of("\"a.jpg\"", "\"b.jpg\"", "\"dir/c.png\"",
                "\"/abs/d.jpg\"", "\"\"", "\"../../etc/passwd\""), text(), anyValue(1));
        Arbitrary<String> event = Combinators.combine(
                path, Arbitraries.oneOf(enumText("ADDED", "MODIFIED", "DELETED", "RENAMED"), anyValue(1)),
                optional(path), optional(text()), optional(Arbitraries.oneOf(runIdText(), anyValue(1))),
                optional(number()), optional(text()), optional(instant()))
                .as((p, change, oldPath, collection, runId, size, hash, at) -> object(
                        "libraryId", libraryId, "path", p, "change", change, "oldPath", oldPath,
                        "collectionId", collection, "runId", runId, "size", size, "hash", hash, "detectedAt", at));
        return Combinators.combine(event, garbageBytes())
                .as((value, garbage) -> new Raw(utf8(unquote(libraryId)), garbage != null ? garbage : utf8(value)));
    }

    // ---- values

    /** Crons in every dialect and macro, valid and not: real schedules and token soup of 0 to 8 fields. */
    static Arbitrary<String> cron() {
        Arbitrary<String> known = Arbitraries.of("0 * * * *", "* * * * *", "*/5 * * * * *", "* * * * * *",
                "0 0 12 ? * MON-FRI", "0 0 12 L * ?", "0 15 10 ? * 6#3 2026", "0 0 0 LW * ?", "0 0 0 15W * ?",
                "30 2 * * *", "0 30 2 * * *", "0 0 0 29 2 ?", "0 0 0 31 2 ?", "0 0 0 1 1 ? 2020", "0 0 0 1 1 ? 2099",
                "@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually", "@midnight", "@reboot", "@every",
                "", " ", "* * * *", "0 0 1 1 * 2027 extra", "60 * * * *", "0 24 * * *", "0 0 32 * *", "0 0 * 13 *",
                "0 0 * * 8", "*/0 * * * *", "0-59/0 * * * * *", "0 0 0 ? * L", "0 0 0 L-3 * ?", "0 0 0 ? * 5L");
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("*", "?", "L", "W", "LW", "L-2", "5W", "6#3", "7#6", "MON-FRI", "SUN", "JAN", "JAN-DEC",
                        "*/", "/", "-", ",", "#", "**", "5L"),
                number(0, 100).map(String::valueOf),
                Combinators.combine(number(-5, 3000), number(-5, 100)).as((a, b) -> a + "/" + b),
                Combinators.combine(number(-5, 100), number(-5, 100)).as((a, b) -> a + "-" + b),
                Combinators.combine(number(-5, 100), number(-5, 100)).as((a, b) -> a + "," + b),
                number(-2, 100).map(n -> "*/" + n));
        Arbitrary<String> soup = token.list().ofMinSize(0).ofMaxSize(8).map(tokens -> String.join(" ", tokens));
        return Arbitraries.oneOf(known, soup).map(Generated::quote);
    }

    private static Arbitrary<String> plausibleCron() {
        return Arbitraries.of("0 * * * *", "* * * * *", "* * * * * *", "*/5 * * * * *", "0 0 12 ? * MON-FRI",
                "0 0 12 L * ?", "30 2 * * *", "0 30 2 * * *", "0 0 0 29 2 ?", "0 0 0 31 2 ?", "0 0 0 1 1 ? 2020",
                "0 0 0 1 1 ? 2099", "@hourly", "@daily", "0 0 0 LW * ?", "0 15 10 ? * 6#3 2026").map(Generated::quote);
    }

    private static Arbitrary<String> plausibleInstant() {
        return Arbitraries.of("2026-01-05T10:00:00Z", "2026-01-05T10:00:02Z", "2026-01-05T09:00:00Z",
                "2026-03-29T02:30:00", "2026-10-25T02:30:00", "1970-01-01T00:00:00Z", "2099-12-31T23:59:59Z",
                "9999-12-31T23:59:59.999Z", "1767607202000").map(text -> text.startsWith("1") && !text.contains("-")
                ? text : quote(text));
    }

    /** IANA zones, fixed offsets, legacy ids and invented ones. */
    static Arbitrary<String> zone() {
        return Arbitraries.oneOf(Arbitraries.of(ZONES),
                Arbitraries.of("UTC", "Z", "+05:30", "-12:00", "+14:00", "+18:00", "+19:00", "GMT+14", "UTC+25", "EST",
                        "CET", "Europe/Berlin ", "europe/berlin", "Mars/Olympus_Mons", "", "Etc/GMT-14",
                        "America/Argentina/ComodRivadavia", "SystemV/AST4"),
                text().map(Generated::unquote)).map(Generated::quote);
    }

    /** Durations of every size and sign: ISO-8601, seconds (text and number), .NET TimeSpan. */
    static Arbitrary<String> duration() {
        Arbitrary<String> iso = Arbitraries.of("PT0.0001S", "PT0.001S", "PT0.999S", "PT1S", "PT-1S", "PT0S", "P0D",
                "PT30M", "P1DT2H", "PT876000H", "P36525D", "P36526D", "P106751991167300D", "PT9999999999999H", "-PT1M",
                "P1Y", "PT", "P", "pt1s", "PT1.5S", "PT1,5S");
        Arbitrary<String> span = Arbitraries.of("00:00:00.5", "00:00:01", "00:30:00", "1.02:03:04", "-00:00:01",
                "99:99:99", "23:59:59.9999999", "10675199.02:48:05.4775807", "36525.00:00:00", "0:0:0");
        return Arbitraries.oneOf(iso.map(Generated::quote), span.map(Generated::quote), number(),
                number().map(Generated::quote));
    }

    /** Times with and without offset, across the daylight-saving gap, at the edges of every range; epoch millis. */
    static Arbitrary<String> instant() {
        Arbitrary<String> text = Arbitraries.of("2026-01-05T10:00:00Z", "2026-01-05T10:00:02Z", "2026-03-29T02:30:00",
                "2026-10-25T02:30:00", "2026-01-05T10:00:00+14:00", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
                "2099-12-31T23:59:59Z", "2100-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z",
                "-0001-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-05", "10:00", "now", "",
                "2026-01-05T10:00:00.123456789Z", "2026-01-05T10:00:00+25:00");
        Arbitrary<String> date = Combinators.combine(Arbitraries.of("$date"), Arbitraries.oneOf(text.map(Generated::quote),
                number(), Arbitraries.of("{\"$numberLong\": \"1767607200000\"}", "{\"$numberLong\": \"x\"}")))
                .as((name, value) -> "{\"" + name + "\": " + value + "}");
        return Arbitraries.oneOf(text.map(Generated::quote), number(), date);
    }

    /** Numbers at every extreme, integral and fractional, as JSON allows and beyond what doubles hold. */
    static Arbitrary<String> number() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "-0", "1", "-1", "2", "0.0005", "0.5", "1.5", "-1.5", "1e-10", "1E+2", "1e308",
                        "-1e308", "1e400", "-1e400", "9223372036854775807", "9223372036854775808",
                        "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
                        "4.9e-324", "2147483648", "86400", "3153600000", "3155760001", "1767607200000",
                        "{\"$numberLong\": \"5\"}", "{\"$numberInt\": \"-3\"}", "{\"$numberDecimal\": \"0.0005\"}",
                        "{\"$numberDouble\": \"NaN\"}", "{\"$numberDouble\": \"Infinity\"}"),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.integers().between(-3, 100).map(String::valueOf));
    }

    /** Any JSON value of any type, nested up to {@code depth}, with the connector's Extended JSON forms. */
    static Arbitrary<String> anyValue(int depth) {
        // Built once per depth: generators are trees of arbitraries, and these carry large constants.
        synchronized (ANY_VALUES) {
            Arbitrary<String> built = ANY_VALUES.get(depth);
            if (built == null) {
                built = buildAnyValue(depth);
                ANY_VALUES.put(depth, built);
            }
            return built;
        }
    }

    private static Arbitrary<String> buildAnyValue(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(Arbitraries.of("null", "true", "false"), number(), text(),
                Arbitraries.of("{\"$oid\": \"670a1b2c3d4e5f6789abcdef\"}", "{\"$oid\": 5}", "{\"$date\": \"x\"}",
                        "{\"$regularExpression\": {\"pattern\": \"a\", \"options\": \"\"}}", "{\"$binary\": \"AA==\"}"));
        if (depth <= 0) {
            return scalar;
        }
        Arbitrary<String> array = anyValue(depth - 1).list().ofMaxSize(4).map(items -> "[" + String.join(", ", items) + "]");
        Arbitrary<String> object = Combinators.combine(text(), anyValue(depth - 1)).as((k, v) -> k + ": " + v)
                .list().ofMaxSize(4).map(entries -> "{" + String.join(", ", entries) + "}");
        return Arbitraries.frequencyOf(Tuple.of(6, scalar), Tuple.of(2, array), Tuple.of(2, object),
                Tuple.of(1, Arbitraries.of(HUGE_VALUES)));
    }

    static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.of("", " ", "x".repeat(300), "x".repeat(5000), "\u0000", "\u202e", "😀", "\ud800",
                        "line\nbreak", "a\"b", "\\", "Europe/Berlin", "0 * * * *", "PT1S"))
                .map(Generated::quote);
    }

    private static Arbitrary<String> bool() {
        return Arbitraries.oneOf(Arbitraries.of("true", "false", "\"true\"", "1", "0", "null"));
    }

    private static Arbitrary<String> enumText(String... names) {
        Arbitrary<String> name = Arbitraries.of(names);
        return Arbitraries.oneOf(name, name.map(n -> n.toLowerCase()), name.map(n -> n.replace('_', '-')),
                        name.map(n -> " " + n + " "), Arbitraries.of("", "NONE", "Cron5", "fire once"))
                .map(Generated::quote);
    }

    private static Arbitrary<String> id() {
        return Arbitraries.oneOf(Arbitraries.of(JOB_IDS).map(Generated::quote),
                Arbitraries.of("{\"$oid\": \"670a1b2c3d4e5f6789abcdef\"}", "5", "null", "{}", "[]", "\"\""),
                text());
    }

    private static Arbitrary<String> jobKey() {
        Arbitrary<String> id = Arbitraries.of(JOB_IDS);
        return Arbitraries.frequencyOf(
                Tuple.of(10, id),
                Tuple.of(2, id.map(i -> "{\"_id\": \"" + i.replace("\"", "\\\"") + "\"}")),
                Tuple.of(1, id.map(i -> "\"" + i.replace("\"", "\\\"") + "\"")),
                Tuple.of(1, Arbitraries.of("{\"_id\": {\"$oid\": \"670a1b2c3d4e5f6789abcdef\"}}", "", " ", "\u0001",
                        "x".repeat(300), "{", "\"unterminated")),
                Tuple.of(1, Arbitraries.just(null)));
    }

    private static Arbitrary<String> retry() {
        return Combinators.combine(optional(number()), optional(duration()), optional(number()), optional(duration()),
                optional(number())).as((max, initial, coefficient, maxInterval, jitter) -> object("maxAttempts", max,
                "initialInterval", initial, "backoffCoefficient", coefficient, "maxInterval", maxInterval,
                "jitter", jitter));
    }

    private static Arbitrary<String> after() {
        return Combinators.combine(optional(Arbitraries.of(JOB_IDS).map(Generated::quote)),
                optional(enumText("COMPLETED", "FAILED", "ANY")))
                .as((jobId, on) -> object("jobId", jobId, "on", on)).list().ofMaxSize(3)
                .map(items -> "[" + String.join(", ", items) + "]");
    }

    private static Arbitrary<String> notifySettings() {
        return Combinators.combine(optional(anyValue(1)), optional(anyValue(1)))
                .as((hooks, on) -> object("webhooks", hooks, "on", on));
    }

    private static Arbitrary<String> runIdText() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(JOB_IDS), Arbitraries.longs().between(-5, 4_102_444_800_000L))
                        .as((job, millis) -> job + "@" + millis),
                Arbitraries.of("run-1", "run-2", "", "@", "a@b", "x".repeat(300)),
                Arbitraries.strings().ofMaxLength(12)).map(Generated::quote);
    }

    /** Now and then, bytes that are not a JSON document at all. */
    private static Arbitrary<byte[]> garbageBytes() {
        return Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.just(null)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)),
                Tuple.of(1, Arbitraries.of(new byte[] {(byte) 0xC3, (byte) 0x28}, new byte[0], utf8("{\"a\": 1}{"),
                        utf8("[1]"), utf8("\"text\""), utf8("null"), new byte[300 * 1024])));
    }

    private static Arbitrary<String> optional(Arbitrary<String> value) {
        return Arbitraries.frequencyOf(Tuple.of(3, value), Tuple.of(1, Arbitraries.just((String) null)));
    }

    private static Arbitrary<Integer> number(int min, int max) {
        return Arbitraries.integers().between(min, max);
    }

    /** Objects of the given fields ({@code name, Arbitrary<String>} pairs); a field generated as null is left out. */
    @SuppressWarnings("unchecked")
    private static Arbitrary<String> objectOf(Object... namesAndArbitraries) {
        List<Arbitrary<String>> values = new ArrayList<>();
        for (int i = 1; i < namesAndArbitraries.length; i += 2) {
            values.add((Arbitrary<String>) namesAndArbitraries[i]);
        }
        return Combinators.combine(values).as(generated -> {
            String[] pairs = new String[generated.size() * 2];
            for (int i = 0; i < generated.size(); i++) {
                pairs[2 * i] = (String) namesAndArbitraries[2 * i];
                pairs[2 * i + 1] = generated.get(i);
            }
            return object(pairs);
        });
    }

    /** An object of the given fields, leaving out null (absent) ones. */
    private static String object(String... namesAndValues) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                out.append(out.length() > 1 ? ", " : "").append(quote(namesAndValues[i])).append(": ")
                        .append(namesAndValues[i + 1]);
            }
        }
        return out.append('}').toString();
    }

    static String deep(int levels) {
        return "[".repeat(levels) + "]".repeat(levels);
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String unquote(String quoted) {
        if (quoted.length() >= 2 && quoted.startsWith("\"") && quoted.endsWith("\"")) {
            return quoted.substring(1, quoted.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return quoted;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
