package io.cronstream.local.faults;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bad-input corpus: hostile records for each input topic, each with the outcome Cronstream must
 * give it. Generated, not stored: truncated and non-UTF-8 bytes, JSON bombs, 5 MB values, wrong
 * types, unknown enums, missing keys, ids with control characters, crons that never fire, zones that
 * do not exist, dates in year 9999 and beyond, nulls, duplicate fields, numbers out of range, records
 * keyed by the wrong id, and commands for jobs that cannot run.
 */
final class HostileRecords {

    enum Target { JOBS, COMMANDS, STAGE_PROGRESS, FILE_CHANGES }

    /** A dead letter on {@code cronstream.dlq} with its reason, or a job kept with {@code valid: false} and an error. */
    enum Outcome { DEAD_LETTER, INVALID_JOB }

    record Hostile(String label, Target target, byte[] key, byte[] value, Outcome outcome) {

        String keyText() {
            return key == null ? null : new String(key, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return target + " " + label;
        }
    }

    /** 5 MB: far above Kafka's default 1 MB record limit, so the test raises the topics' max.message.bytes. */
    static final int HUGE = 5 * 1024 * 1024;

    private final String runId;
    private final String libraryId;
    private final String invalidJobId;
    private final String at;
    private final List<Hostile> records = new ArrayList<>();
    private int jobs;

    /**
     * @param runId        a valid run the hostile progress events aim at (it must not change)
     * @param libraryId    a valid library the hostile file changes aim at (it must not change)
     * @param invalidJobId a job known to be invalid (triggering it must be refused)
     */
    private HostileRecords(String runId, String libraryId, String invalidJobId, Instant now) {
        this.runId = runId;
        this.libraryId = libraryId;
        this.invalidJobId = invalidJobId;
        this.at = now.toString();
    }

    static List<Hostile> corpus(String runId, String libraryId, String invalidJobId, Instant now) {
        HostileRecords corpus = new HostileRecords(runId, libraryId, invalidJobId, now);
        corpus.jobs();
        corpus.commands();
        corpus.stageProgress();
        corpus.fileChanges();
        return List.copyOf(corpus.records);
    }

    // ---------------------------------------------------------------- cronstream.jobs

    private void jobs() {
        String valid = "{\"name\": \"n\", \"cronExpression\": \"0 3 * * *\", \"timeZone\": \"Europe/Berlin\"}";
        common(Target.JOBS, valid, "hostile-job-x");

        // ids: no key and no _id, control characters, too long, not UTF-8
        // (no null keys: the compacted jobs topic itself refuses records without a key)
        for (String id : CONTROL_IDS) {
            dead(Target.JOBS, "key with control character " + escape(id), id, valid);
        }
        invalid("_id with a control character, not the key", "{\"_id\": \"a\\u0000b\", \"cron\": \"0 3 * * *\"}");
        dead(Target.JOBS, "5 MB payload", "hostile-job-big", "{\"cronExpression\": \"0 3 * * *\", \"payload\": {\"x\": \""
                + "x".repeat(HUGE) + "\"}}");
        dead(Target.JOBS, "key of 300 characters", "k".repeat(300), valid);
        dead(Target.JOBS, "key not UTF-8", bytes(0x6a, 0xff, 0x6b), utf8(valid));
        dead(Target.JOBS, "control character in an ObjectId key", "{\"$oid\": \"a\\u0007\"}", valid);

        // wrong types
        invalid("cronExpression a number", "{\"cronExpression\": 5}");
        invalid("cronExpression an object", "{\"cronExpression\": {\"$gt\": \"\"}}");
        invalid("isEnabled a string", "{\"cronExpression\": \"0 3 * * *\", \"isEnabled\": \"yes\"}");
        invalid("timeZone a number", "{\"cronExpression\": \"0 3 * * *\", \"timeZone\": 1}");
        invalid("payload a string", "{\"cronExpression\": \"0 3 * * *\", \"payload\": \"{}\"}");
        invalid("payload a wide array", "{\"cronExpression\": \"0 3 * * *\", \"payload\": [" + "0,".repeat(10_000) + "0]}");
        invalid("interval not a duration", "{\"interval\": \"soon\"}");
        invalid("interval negative", "{\"interval\": \"-PT5M\"}");
        invalid("interval zero", "{\"interval\": 0}");
        invalid("maxRuns negative", "{\"cronExpression\": \"0 3 * * *\", \"maxRuns\": -1}");
        invalid("maxRuns beyond long", "{\"cronExpression\": \"0 3 * * *\", \"maxRuns\": 99999999999999999999}");
        invalid("maxRuns 1e400", "{\"cronExpression\": \"0 3 * * *\", \"maxRuns\": 1e400}");
        invalid("stuckAfter an array", "{\"cronExpression\": \"0 3 * * *\", \"stuckAfter\": [\"PT5M\"]}");
        invalid("catchupWindow a boolean", "{\"cronExpression\": \"0 3 * * *\", \"catchupWindow\": true}");
        invalid("runAt a huge number", "{\"runAt\": 1e300}");
        invalid("runAt epoch millis at the end of long", "{\"runAt\": 9223372036854775807}");
        invalid("runAt before 1970", "{\"runAt\": \"1969-12-31T23:59:59Z\"}");
        invalid("stuckAfter of a billion years", "{\"cronExpression\": \"0 3 * * *\", \"stuckAfter\": \"PT8760000000000H\"}");
        invalid("runAt not a date", "{\"runAt\": \"tomorrow\"}");
        invalid("endAt before startAt", "{\"cronExpression\": \"0 3 * * *\", \"startAt\": \"2030-01-02T00:00:00Z\", "
                + "\"endAt\": \"2030-01-01T00:00:00Z\"}");
        // unknown enums
        invalid("scheduleType unknown", "{\"scheduleType\": \"Hourly\", \"cronExpression\": \"0 3 * * *\"}");
        invalid("misfirePolicy unknown", "{\"cronExpression\": \"0 3 * * *\", \"misfirePolicy\": \"FIRE_TWICE\"}");
        invalid("overlapPolicy unknown", "{\"cronExpression\": \"0 3 * * *\", \"overlapPolicy\": \"MAYBE\"}");
        invalid("cronType unknown", "{\"cronExpression\": \"0 3 * * *\", \"cronType\": \"AWS\"}");
        // crons that are wrong or never fire
        invalid("cron with 4 fields", "{\"cronExpression\": \"* * * *\"}");
        invalid("cron with 8 fields", "{\"cronExpression\": \"* * * * * * * *\"}");
        invalid("cron day of week 8", "{\"cronExpression\": \"0 3 * * 8\"}");
        invalid("cron unknown macro", "{\"cronExpression\": \"@fortnightly\"}");
        invalid("cron empty", "{\"cronExpression\": \"\"}");
        invalid("cron of 10000 characters", "{\"cronExpression\": \"" + "1,".repeat(5_000) + "\"}");
        invalid("cron never fires: 30 February", "{\"cronExpression\": \"0 0 30 2 *\"}");
        invalid("cron never fires: 31 April", "{\"cronExpression\": \"0 0 0 31 4 ?\", \"cronType\": \"SPRING\"}");
        invalid("cron never fires: a year gone by", "{\"cronExpression\": \"0 0 0 1 1 ? 2020\"}");
        invalid("cron never fires: 30 February, Quartz", "{\"cronExpression\": \"0 0 0 30 2 ? *\"}");
        // zones that do not exist
        for (String zone : List.of("Mars/Olympus_Mons", "Europe/Berlinn", "UTC+25:00", "GMT+99", "", "../../etc/passwd",
                "Europe/Berlin\u0000")) {
            invalid("time zone '" + escape(zone) + "'", "{\"cronExpression\": \"0 3 * * *\", \"timeZone\": \""
                    + escape(zone).replace("\\0", "\\u0000") + "\"}");
        }
        // dates in year 9999 and beyond
        invalid("runAt in year 9999", "{\"runAt\": \"9999-12-31T23:59:59Z\"}");
        invalid("runAt at the end of time", "{\"runAt\": \"+999999999-12-31T23:59:59Z\"}");
        invalid("startAt in year 9999", "{\"cronExpression\": \"0 3 * * *\", \"startAt\": \"9999-12-31T00:00:00Z\"}");
        invalid("startAt at the end of time", "{\"interval\": \"PT1M\", \"startAt\": \"+999999999-12-31T00:00:00Z\"}");
        invalid("interval of a billion years", "{\"interval\": \"PT8760000000000H\"}");
        invalid("catchupWindow of a billion years", "{\"cronExpression\": \"0 3 * * *\", \"catchupWindow\": \"PT8760000000000H\"}");
        // nulls
        invalid("every schedule field null", "{\"cronExpression\": null, \"interval\": null, \"runAt\": null}");
        invalid("scheduleType null, no schedule", "{\"scheduleType\": null}");
        invalid("empty document", "{}");
    }

    // ---------------------------------------------------------------- cronstream.commands

    private void commands() {
        String job = "corpus-manual";
        String valid = "{\"type\": \"TRIGGER\", \"jobId\": \"" + job + "\", \"triggeredBy\": \"eve\", \"requestedAt\": \"" + at + "\"}";
        common(Target.COMMANDS, valid, job);

        dead(Target.COMMANDS, "null key", null, valid);
        dead(Target.COMMANDS, "key is another job", "another-job", valid);
        dead(Target.COMMANDS, "key not UTF-8", bytes(0xc3, 0x28), utf8(valid));
        for (String id : CONTROL_IDS) {
            dead(Target.COMMANDS, "jobId with control character " + escape(id), id,
                    "{\"type\": \"TRIGGER\", \"jobId\": \"" + escape(id) + "\", \"requestedAt\": \"" + at + "\"}");
        }
        dead(Target.COMMANDS, "trigger for an unknown job", "no-such-job",
                "{\"type\": \"TRIGGER\", \"jobId\": \"no-such-job\", \"requestedAt\": \"" + at + "\"}");
        dead(Target.COMMANDS, "trigger for an invalid job", invalidJobId,
                "{\"type\": \"TRIGGER\", \"jobId\": \"" + invalidJobId + "\", \"requestedAt\": \"" + at + "\"}");
        dead(Target.COMMANDS, "type unknown", job, valid.replace("TRIGGER", "EXPLODE"));
        dead(Target.COMMANDS, "type lower case", job, valid.replace("TRIGGER", "trigger"));
        dead(Target.COMMANDS, "type null", job, valid.replace("\"TRIGGER\"", "null"));
        dead(Target.COMMANDS, "type a number", job, valid.replace("\"TRIGGER\"", "1"));
        dead(Target.COMMANDS, "jobId a number", job, valid.replace("\"" + job + "\"", "7"));
        dead(Target.COMMANDS, "jobId null", job, valid.replace("\"" + job + "\"", "null"));
        dead(Target.COMMANDS, "requestedAt missing", job, "{\"type\": \"TRIGGER\", \"jobId\": \"" + job + "\"}");
        dead(Target.COMMANDS, "requestedAt epoch millis", job, valid.replace("\"" + at + "\"", "1767225600000"));
        dead(Target.COMMANDS, "requestedAt without offset", job, valid.replace("\"" + at + "\"", "\"2026-01-01T00:00:00\""));
        dead(Target.COMMANDS, "requestedAt in year 9999", job, valid.replace(at, "9999-12-31T23:59:59Z"));
        dead(Target.COMMANDS, "requestedAt at the end of time", job, valid.replace(at, "+999999999-12-31T23:59:59Z"));
        dead(Target.COMMANDS, "requestedAt before the epoch", job, valid.replace(at, "-999999999-01-01T00:00:00Z"));
        dead(Target.COMMANDS, "triggeredBy of 201 characters", job, valid.replace("\"eve\"", "\"" + "e".repeat(201) + "\""));
        dead(Target.COMMANDS, "triggeredBy an object", job, valid.replace("\"eve\"", "{\"name\": \"eve\"}"));
        dead(Target.COMMANDS, "idempotency key naming a retry", job, valid.replace("}", ", \"requestId\": \"k-attempt-2\"}"));
        dead(Target.COMMANDS, "idempotency key of digits only", job, valid.replace("}", ", \"requestId\": \"1767225600000\"}"));
        dead(Target.COMMANDS, "RUN_FINISHED without runId", job,
                "{\"type\": \"RUN_FINISHED\", \"jobId\": \"" + job + "\", \"requestedAt\": \"" + at + "\"}");
        dead(Target.COMMANDS, "triggeredBy of 5 MB", job, valid.replace("\"eve\"", "\"" + "e".repeat(HUGE) + "\""));
    }

    // ---------------------------------------------------------------- cronstream.stage-progress

    private void stageProgress() {
        String valid = "{\"runId\": \"" + runId + "\", \"stage\": \"scan\", \"kind\": \"PROGRESS\", \"increment\": 1, \"at\": \""
                + at + "\"}";
        common(Target.STAGE_PROGRESS, valid, runId);

        dead(Target.STAGE_PROGRESS, "null key, runId null", null, valid.replace("\"" + runId + "\"", "null"));
        dead(Target.STAGE_PROGRESS, "null key, no runId", null,
                "{\"stage\": \"scan\", \"kind\": \"PROGRESS\", \"at\": \"" + at + "\"}");
        for (String id : CONTROL_IDS) {
            dead(Target.STAGE_PROGRESS, "runId with control character " + escape(id), id,
                    valid.replace("\"" + runId + "\"", "\"" + escape(id) + "\""));
            dead(Target.STAGE_PROGRESS, "stage with control character " + escape(id), runId,
                    valid.replace("\"scan\"", "\"" + escape(id) + "\""));
        }
        dead(Target.STAGE_PROGRESS, "eventId with control character", runId, valid.replace("}", ", \"eventId\": \"e\\u0000\"}"));
        dead(Target.STAGE_PROGRESS, "runId of 600 characters", runId, valid.replace(runId, "r".repeat(600)));
        dead(Target.STAGE_PROGRESS, "kind unknown", runId, valid.replace("PROGRESS", "EXPLODED"));
        dead(Target.STAGE_PROGRESS, "kind lower case", runId, valid.replace("PROGRESS", "progress"));
        dead(Target.STAGE_PROGRESS, "kind null", runId, valid.replace("\"PROGRESS\"", "null"));
        dead(Target.STAGE_PROGRESS, "kind a number", runId, valid.replace("\"PROGRESS\"", "3"));
        dead(Target.STAGE_PROGRESS, "increment negative", runId, valid.replace("\"increment\": 1", "\"increment\": -5"));
        dead(Target.STAGE_PROGRESS, "increment a fraction", runId, valid.replace("\"increment\": 1", "\"increment\": 1.5"));
        dead(Target.STAGE_PROGRESS, "increment a string", runId, valid.replace("\"increment\": 1", "\"increment\": \"1\""));
        dead(Target.STAGE_PROGRESS, "increment beyond long", runId,
                valid.replace("\"increment\": 1", "\"increment\": 99999999999999999999999"));
        dead(Target.STAGE_PROGRESS, "increment 1e400", runId, valid.replace("\"increment\": 1", "\"increment\": 1e400"));
        dead(Target.STAGE_PROGRESS, "increment NaN", runId, valid.replace("\"increment\": 1", "\"increment\": NaN"));
        dead(Target.STAGE_PROGRESS, "increment beyond the count limit", runId,
                valid.replace("\"increment\": 1", "\"increment\": 9223372036854775807"));
        dead(Target.STAGE_PROGRESS, "total negative", runId,
                "{\"runId\": \"" + runId + "\", \"stage\": \"scan\", \"kind\": \"STAGE_STARTED\", \"total\": -1, \"at\": \"" + at + "\"}");
        dead(Target.STAGE_PROGRESS, "completed beyond total", runId, "{\"runId\": \"" + runId
                + "\", \"stage\": \"scan\", \"kind\": \"PROGRESS\", \"total\": 5, \"completed\": 9, \"at\": \"" + at + "\"}");
        dead(Target.STAGE_PROGRESS, "increment and completed", runId, valid.replace("}", ", \"completed\": 3}"));
        dead(Target.STAGE_PROGRESS, "counts on RUN_STARTED", runId,
                "{\"runId\": \"" + runId + "\", \"kind\": \"RUN_STARTED\", \"increment\": 4, \"at\": \"" + at + "\"}");
        dead(Target.STAGE_PROGRESS, "stage missing on STAGE_STARTED", runId,
                "{\"runId\": \"" + runId + "\", \"kind\": \"STAGE_STARTED\", \"total\": 4, \"at\": \"" + at + "\"}");
        dead(Target.STAGE_PROGRESS, "at missing", runId, valid.replace(", \"at\": \"" + at + "\"", ""));
        dead(Target.STAGE_PROGRESS, "at epoch millis", runId, valid.replace("\"" + at + "\"", "1767225600000"));
        dead(Target.STAGE_PROGRESS, "at not a date", runId, valid.replace("\"" + at + "\"", "\"yesterday\""));
        dead(Target.STAGE_PROGRESS, "at in year 9999", runId, valid.replace(at, "9999-12-31T23:59:59Z"));
        dead(Target.STAGE_PROGRESS, "at at the end of time", runId, valid.replace(at, "+999999999-12-31T23:59:59Z"));
        dead(Target.STAGE_PROGRESS, "at at the start of time", runId, valid.replace(at, "-999999999-01-01T00:00:00Z"));
        dead(Target.STAGE_PROGRESS, "message of 3000 characters", runId, valid.replace("}", ", \"message\": \"" + "m".repeat(3000) + "\"}"));
        dead(Target.STAGE_PROGRESS, "message of 5 MB", runId, valid.replace("}", ", \"message\": \"" + "m".repeat(HUGE) + "\"}"));
    }

    // ---------------------------------------------------------------- cronstream.file-changes

    private void fileChanges() {
        String valid = "{\"libraryId\": \"" + libraryId + "\", \"path\": \"/hostile.jpg\", \"change\": \"ADDED\", "
                + "\"detectedAt\": \"" + at + "\"}";
        common(Target.FILE_CHANGES, valid, libraryId);

        dead(Target.FILE_CHANGES, "null key", null, valid);
        dead(Target.FILE_CHANGES, "key is another library", "another-library", valid);
        dead(Target.FILE_CHANGES, "key not UTF-8", bytes(0xe2, 0x82), utf8(valid));
        for (String id : CONTROL_IDS) {
            dead(Target.FILE_CHANGES, "libraryId with control character " + escape(id), id,
                    valid.replace("\"" + libraryId + "\"", "\"" + escape(id) + "\""));
            dead(Target.FILE_CHANGES, "path with control character " + escape(id), libraryId,
                    valid.replace("/hostile.jpg", "/a" + escape(id) + ".jpg"));
        }
        dead(Target.FILE_CHANGES, "change unknown", libraryId, valid.replace("ADDED", "COPIED"));
        dead(Target.FILE_CHANGES, "change null", libraryId, valid.replace("\"ADDED\"", "null"));
        dead(Target.FILE_CHANGES, "change a number", libraryId, valid.replace("\"ADDED\"", "0"));
        dead(Target.FILE_CHANGES, "RENAMED without oldPath", libraryId, valid.replace("ADDED", "RENAMED"));
        dead(Target.FILE_CHANGES, "RENAMED onto itself", libraryId,
                valid.replace("\"ADDED\"", "\"RENAMED\", \"oldPath\": \"/hostile.jpg\""));
        dead(Target.FILE_CHANGES, "oldPath on ADDED", libraryId, valid.replace("\"ADDED\"", "\"ADDED\", \"oldPath\": \"/b.jpg\""));
        dead(Target.FILE_CHANGES, "size negative", libraryId, valid.replace("}", ", \"size\": -1}"));
        dead(Target.FILE_CHANGES, "size a string", libraryId, valid.replace("}", ", \"size\": \"big\"}"));
        dead(Target.FILE_CHANGES, "size beyond long", libraryId, valid.replace("}", ", \"size\": 1e30}"));
        dead(Target.FILE_CHANGES, "path empty", libraryId, valid.replace("/hostile.jpg", ""));
        dead(Target.FILE_CHANGES, "path an array", libraryId, valid.replace("\"/hostile.jpg\"", "[\"/a\"]"));
        dead(Target.FILE_CHANGES, "path of 5000 characters", libraryId, valid.replace("/hostile.jpg", "/" + "p".repeat(5000)));
        dead(Target.FILE_CHANGES, "path of 5 MB", libraryId, valid.replace("/hostile.jpg", "/" + "p".repeat(HUGE)));
        dead(Target.FILE_CHANGES, "detectedAt missing", libraryId, valid.replace(", \"detectedAt\": \"" + at + "\"", ""));
        dead(Target.FILE_CHANGES, "detectedAt in year 9999", libraryId, valid.replace(at, "9999-12-31T23:59:59Z"));
        dead(Target.FILE_CHANGES, "detectedAt in 2099 (a clock far ahead)", libraryId,
                valid.replace(at, "2099-06-01T00:00:00Z"));
        dead(Target.FILE_CHANGES, "detectedAt at the end of time", libraryId, valid.replace(at, "+999999999-12-31T23:59:59Z"));
        dead(Target.FILE_CHANGES, "runId blank", libraryId, valid.replace("}", ", \"runId\": \"  \"}"));
    }

    // ---------------------------------------------------------------- the same attacks on every topic

    /** Damage every topic gets: cut JSON, bytes that are not UTF-8, bombs, huge values, not objects, nulls, duplicates. */
    private void common(Target target, String valid, String key) {
        byte[] validBytes = utf8(valid);
        for (int cut : new int[] {1, validBytes.length / 4, validBytes.length / 2, validBytes.length - 1}) {
            dead(target, "truncated to " + cut + " bytes", utf8(key), Arrays.copyOf(validBytes, cut));
        }
        dead(target, "bytes 0xFF 0xFE", utf8(key), bytes(0xff, 0xfe, 0x7b, 0x7d));
        dead(target, "invalid byte inside a string", utf8(key), replaceFirst(validBytes, '"', bytes(0x22, 0xc3, 0x28)));
        dead(target, "overlong encoding of '/'", utf8(key), concat(utf8("{\"x\": \""), bytes(0xc0, 0xaf), utf8("\"}")));
        dead(target, "encoded lone surrogate", utf8(key), concat(utf8("{\"x\": \""), bytes(0xed, 0xa0, 0x80), utf8("\"}")));
        dead(target, "UTF-16 with BOM", utf8(key), concat(bytes(0xff, 0xfe), valid.getBytes(StandardCharsets.UTF_16LE)));
        dead(target, "Latin-1 text", utf8(key), valid.replace("}", ", \"x\": \"caf\u00e9\"}").getBytes(StandardCharsets.ISO_8859_1));
        dead(target, "NUL bytes", utf8(key), new byte[64]);
        dead(target, "array bomb, depth 100000", utf8(key), utf8("[".repeat(100_000) + "]".repeat(100_000)));
        dead(target, "object bomb, depth 5000", utf8(key), utf8("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)));
        dead(target, "unclosed bomb, depth 1000000", utf8(key), utf8("[".repeat(1_000_000)));
        dead(target, "bomb inside a valid record", utf8(key), utf8(valid.replace("}", ", \"x\": "
                + "[".repeat(500) + "]".repeat(500) + "}")));
        dead(target, "5 MB of garbage", utf8(key), filled(HUGE, (byte) 0x9c));
        dead(target, "5 MB string field", utf8(key), utf8(valid.replace("}", ", \"x\": \"" + "x".repeat(HUGE) + "\"}")));
        dead(target, "a 1000-digit number", utf8(key), utf8("{\"x\": " + "9".repeat(1_000) + "}"));
        for (String notObject : List.of("[]", "\"text\"", "42", "true", "null", "", "   ", "{} {}", "{\"a\": 1,}", "{'a': 1}")) {
            dead(target, "not one JSON object: " + notObject, utf8(key), utf8(notObject));
        }
        dead(target, "duplicate field", utf8(key), utf8(valid.replace("{", "{\"x\": 1, \"x\": 2, ")));
    }

    // ---------------------------------------------------------------- helpers

    private static final List<String> CONTROL_IDS = List.of("a\u0000b", "line\nbreak", "tab\there", "del\u007f",
            "c1\u0085", "\u001b[31mred");

    private void dead(Target target, String label, String key, String value) {
        dead(target, label, key == null ? null : utf8(key), value == null ? null : utf8(value));
    }

    private void dead(Target target, String label, byte[] key, byte[] value) {
        records.add(new Hostile(label, target, key, value, Outcome.DEAD_LETTER));
    }

    private void invalid(String label, String document) {
        String jobId = "hostile-job-" + (++jobs);
        records.add(new Hostile(label, Target.JOBS, utf8(jobId), utf8(document), Outcome.INVALID_JOB));
    }

    /** JSON string escapes for control characters, so an id travels inside valid JSON. */
    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] filled(int size, byte value) {
        byte[] out = new byte[size];
        Arrays.fill(out, value);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** {@code bytes} with the first occurrence of {@code c} after the first 3 bytes replaced by {@code with}. */
    private static byte[] replaceFirst(byte[] bytes, char c, byte[] with) {
        for (int i = 3; i < bytes.length; i++) {
            if (bytes[i] == c) {
                return concat(Arrays.copyOf(bytes, i), with, Arrays.copyOfRange(bytes, i + 1, bytes.length));
            }
        }
        throw new IllegalArgumentException("no " + c);
    }
}
