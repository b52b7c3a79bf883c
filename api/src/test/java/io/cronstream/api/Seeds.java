package io.cronstream.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The jobs, runs, histories and libraries every API test starts from. */
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

    static String[][] runs(Instant now) {
        return new String[][] {
            {RUNNING_RUN, """
                {"runId": "%s", "jobId": "%s", "jobType": "sync", "status": "RUNNING", "stuck": false,
                 "trigger": "SCHEDULE", "scheduledFor": "%s", "createdAt": "%s", "startedAt": "%s",
                 "updatedAt": "%s", "lastActivityAt": "%s", "percent": 62.5, "itemsPerSecond": 8.5, "etaSeconds": 36,
                 "stuckAfter": "PT5M", "stages": {
                   "scan": {"status": "COMPLETED", "total": 250, "completed": 250, "failed": 0},
                   "thumbnail": {"status": "RUNNING", "total": 250, "completed": 120, "failed": 3, "message": "120/250"},
                   "cache": {"status": "PENDING", "total": 250, "completed": 0, "failed": 0}}}
                """.formatted(RUNNING_RUN, HOURLY, at(now, -60), at(now, -60), at(now, -59), at(now, -1), at(now, -1))},
            {STUCK_RUN, """
                {"runId": "%s", "jobId": "%s", "jobType": "report", "status": "RUNNING", "stuck": true,
                 "stuckSince": "%s", "trigger": "SCHEDULE", "scheduledFor": "%s", "createdAt": "%s", "startedAt": "%s",
                 "updatedAt": "%s", "lastActivityAt": "%s", "percent": 20.0, "stuckAfter": "PT5M", "stages": {
                   "query": {"status": "RUNNING", "total": 50, "completed": 10, "failed": 0}}}
                """.formatted(STUCK_RUN, NIGHTLY, at(now, -120), at(now, -900), at(now, -900), at(now, -890),
                    at(now, -120), at(now, -420))},
            {COMPLETED_RUN, """
                {"runId": "%s", "jobId": "%s", "jobType": "thumbnail", "status": "COMPLETED", "stuck": false,
                 "trigger": "MANUAL", "triggeredBy": "alice", "scheduledFor": "%s", "createdAt": "%s", "startedAt": "%s",
                 "updatedAt": "%s", "completedAt": "%s", "lastActivityAt": "%s", "percent": 100.0, "stuckAfter": "PT5M",
                 "stages": {"thumbnail": {"status": "COMPLETED", "total": 40, "completed": 40, "failed": 0}}}
                """.formatted(COMPLETED_RUN, THUMBS, at(now, -3600), at(now, -3600), at(now, -3599), at(now, -3000),
                    at(now, -3000), at(now, -3000))},
            {FAILED_RUN, """
                {"runId": "%s", "jobId": "%s", "jobType": "thumbnail", "status": "FAILED", "stuck": false,
                 "trigger": "SCHEDULE", "scheduledFor": "%s", "createdAt": "%s", "startedAt": "%s", "updatedAt": "%s",
                 "completedAt": "%s", "lastActivityAt": "%s", "percent": 45.0, "stuckAfter": "PT5M", "message": "disk full",
                 "stages": {"thumbnail": {"status": "FAILED", "total": 40, "completed": 14, "failed": 4}}}
                """.formatted(FAILED_RUN, THUMBS, at(now, -1800), at(now, -1800), at(now, -1799), at(now, -1500),
                    at(now, -1500), at(now, -1500))},
        };
    }

    static String history(Instant now) {
        return """
            {"jobId": "%s", "items": [
               {"runId": "%s", "status": "COMPLETED", "stuck": false, "trigger": "MANUAL", "triggeredBy": "alice",
                "createdAt": "%s", "completedAt": "%s", "durationMs": 600000, "itemsProcessed": 40,
                "itemsSucceeded": 40, "itemsFailed": 0},
               {"runId": "%s", "status": "FAILED", "stuck": false, "trigger": "SCHEDULE",
                "createdAt": "%s", "completedAt": "%s", "durationMs": 300000, "itemsProcessed": 18,
                "itemsSucceeded": 14, "itemsFailed": 4}],
             "stats": {"runs": 2, "succeeded": 1, "failed": 1, "successRate": 0.5, "avgDurationMs": 450000,
                       "lastSuccessAt": "%s", "lastFailureAt": "%s"}}
            """.formatted(THUMBS, COMPLETED_RUN, at(now, -3600), at(now, -3000), FAILED_RUN, at(now, -1800),
                at(now, -1500), at(now, -3000), at(now, -1500));
    }

    static String library(Instant now) {
        return """
            {"libraryId": "%s", "added": 2, "modified": 1, "deleted": 1, "lastChangeAt": "%s", "changeCount": 4}
            """.formatted(LIBRARY, at(now, -30));
    }

    static String[][] pending() {
        return new String[][] {
            {"/photos/2026/a.jpg", "ADDED"}, {"/photos/2026/b.jpg", "ADDED"},
            {"/photos/2025/c.jpg", "MODIFIED"}, {"/photos/old/d.jpg", "DELETED"},
        };
    }

    /** Seeds a harness with everything above. */
    static void into(DriverHarness harness) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (String[] job : jobs()) {
            harness.putJob(job[0], job[1]);
        }
        harness.putJob(GONE, "{\"name\": \"Gone\", \"cronExpression\": \"0 3 * * *\"}");
        harness.putJob(GONE, null);
        for (String[] run : runs(now)) {
            harness.putRun(run[0], run[1]);
        }
        harness.putHistory(THUMBS, history(now));
        harness.putLibrary(LIBRARY, library(now));
        for (String[] change : pending()) {
            harness.putPending(LIBRARY, change[0], change[1]);
        }
    }

    private static String at(Instant now, long offsetSeconds) {
        return now.plusSeconds(offsetSeconds).toString();
    }
}
