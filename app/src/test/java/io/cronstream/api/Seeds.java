package io.cronstream.api;

import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** The jobs, runs and library changes every API test starts from. */
final class Seeds {

    static final String HOURLY = "hourly-sync";
    static final String NIGHTLY = "nightly-report";
    static final String THUMBS = "thumbs";
    static final String MANUAL = "manual-export";
    static final String PAUSED = "paused-cleanup";
    static final String BROKEN = "broken";
    static final String GONE = "gone";
    /** Ids a URL has to carry encoded. */
    static final String UNICODE = "caf\u00e9 \u65e5\u672c/\u00fcber";

    static final String RUNNING_RUN = HOURLY + "@1772326800000";
    static final String STUCK_RUN = NIGHTLY + "@1772330400000";
    static final String COMPLETED_RUN = THUMBS + "@1772323200000";
    static final String FAILED_RUN = THUMBS + "@1772325000000";
    static final String LIBRARY = "photos";

    private Seeds() {
    }

    static String[][] jobs() {
        return new String[][] {
            {HOURLY, "{\"name\": \"Hourly sync\", \"jobType\": \"sync\", \"cronExpression\": \"0 * * * *\"}"},
            {NIGHTLY, "{\"name\": \"Nightly report\", \"jobType\": \"report\", \"cronExpression\": \"0 2 * * *\","
                    + " \"timeZone\": \"Europe/Berlin\"}"},
            {THUMBS, "{\"displayName\": \"Thumbnail rebuild\", \"type\": \"thumbnail\", \"scheduleType\": \"Interval\","
                    + " \"interval\": \"PT30M\"}"},
            {MANUAL, "{\"name\": \"Export\", \"scheduleType\": \"Manual\"}"},
            {PAUSED, "{\"name\": \"Paused cleanup\", \"cronExpression\": \"*/5 * * * *\", \"isEnabled\": false}"},
            {BROKEN, "{\"name\": \"Broken\", \"cronExpression\": \"* * * *\"}"},
            {UNICODE, "{\"name\": \"Caf\u00e9 \u65e5\u672c\", \"scheduleType\": \"Manual\"}"},
        };
    }

    /**
     * Seeds a harness whose wall clock stands at its start: the jobs, then runs told by
     * stage-progress events (one stalls past its 5-minute threshold while the clock moves on, one
     * is still moving), and a library's file changes.
     */
    static void into(DriverHarness harness) {
        Instant start = harness.start();
        for (String[] job : jobs()) {
            harness.putJob(job[0], job[1]);
        }
        harness.putJob(GONE, "{\"name\": \"Gone\", \"cronExpression\": \"0 3 * * *\"}");
        harness.putJob(GONE, null);

        run(harness, STUCK_RUN, NIGHTLY, "report", start, List.of(
                stage("query", "STAGE_STARTED", "\"total\": 50", 1),
                stage("query", "PROGRESS", "\"completed\": 10", 30)));
        run(harness, COMPLETED_RUN, THUMBS, "thumbnail", start, List.of(
                stage("thumbnail", "STAGE_STARTED", "\"total\": 40", 1),
                stage("thumbnail", "PROGRESS", "\"completed\": 40", 50),
                event("RUN_COMPLETED", 51)));
        run(harness, FAILED_RUN, THUMBS, "thumbnail", start, List.of(
                stage("thumbnail", "STAGE_STARTED", "\"total\": 40", 1),
                stage("thumbnail", "PROGRESS", "\"completed\": 14, \"failed\": 4", 40),
                begin -> "\"kind\": \"RUN_FAILED\", \"message\": \"disk full\", \"at\": \"%s\"".formatted(at(begin, 41))));
        harness.advance(Duration.ofMinutes(6));

        Instant now = start.plus(Duration.ofMinutes(6));
        run(harness, RUNNING_RUN, HOURLY, "sync", now.minusSeconds(60), List.of(
                stage("scan", "STAGE_STARTED", "\"total\": 250", 0),
                stage("thumbnail", "STAGE_STARTED", "\"total\": 250", 0),
                stage("cache", "STAGE_STARTED", "\"total\": 250", 0),
                stage("scan", "PROGRESS", "\"completed\": 250", 20),
                stage("thumbnail", "PROGRESS", "\"completed\": 120, \"failed\": 3, \"message\": \"120/250\"", 59)));

        for (String[] change : pending()) {
            harness.fileChange(LIBRARY, """
                {"libraryId": "%s", "path": "%s", "change": "%s", "detectedAt": "%s"}
                """.formatted(LIBRARY, change[0], change[1], now));
        }
    }

    static String[][] pending() {
        return new String[][] {
            {"/photos/2026/a.jpg", "ADDED"}, {"/photos/2026/b.jpg", "ADDED"},
            {"/photos/2025/c.jpg", "MODIFIED"}, {"/photos/old/d.jpg", "DELETED"},
        };
    }

    /** RUN_STARTED at {@code begin}, then each event (its JSON fields less runId, with its {@code at}). */
    private static void run(DriverHarness harness, String runId, String jobId, String jobType, Instant begin,
            List<Function<Instant, String>> events) {
        harness.progress(runId, """
            {"runId": "%s", "jobId": "%s", "jobType": "%s", "kind": "RUN_STARTED", "at": "%s"}
            """.formatted(runId, jobId, jobType, begin));
        for (Function<Instant, String> event : events) {
            harness.progress(runId, "{\"runId\": \"" + runId + "\", " + event.apply(begin) + "}");
        }
    }

    private static Function<Instant, String> stage(String stage, String kind, String counts, long atSecond) {
        return begin -> "\"stage\": \"%s\", \"kind\": \"%s\", %s, \"at\": \"%s\""
                .formatted(stage, kind, counts, at(begin, atSecond));
    }

    private static Function<Instant, String> event(String kind, long atSecond) {
        return begin -> "\"kind\": \"%s\", \"at\": \"%s\"".formatted(kind, at(begin, atSecond));
    }

    private static String at(Instant now, long offsetSeconds) {
        return now.plusSeconds(offsetSeconds).toString();
    }
}
