package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Trigger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every route of DESIGN §7 and its error answers, on one instance over a TopologyTestDriver. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRoutesTest {

    private static final String AUTH = "Bearer " + DriverHarness.TOKEN;

    private DriverHarness harness;

    @BeforeAll
    void start() {
        harness = new DriverHarness();
        Seeds.into(harness);
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @Test
    void listsEveryJobByNameWithScheduleFields() {
        JsonNode body = ok("/api/v1/jobs");
        List<String> names = new ArrayList<>();
        body.get("items").forEach(job -> names.add(job.get("name").asText()));
        assertThat(body.get("count").asInt()).isEqualTo(Seeds.jobs().length);
        assertThat(names).containsExactly("Broken", "Café 日本", "Export", "Hourly sync", "Nightly report",
                "Paused cleanup", "Thumbnail rebuild");
        JsonNode job = body.get("items").get(3);
        for (String field : List.of("jobId", "name", "jobType", "scheduleType", "cron", "cronType", "interval", "runAt",
                "timeZone", "enabled", "valid", "error", "description", "payload", "nextFireAt", "lastFiredAt",
                "fireCount", "misfirePolicy", "overlapPolicy", "stuckAfter")) {
            assertThat(job.has(field)).as(field).isTrue();
        }
    }

    @Test
    void showsOneJobWithItsHumanReadableSchedule() {
        JsonNode job = ok("/api/v1/jobs/" + Seeds.HOURLY);
        assertThat(job.get("jobId").asText()).isEqualTo(Seeds.HOURLY);
        assertThat(job.get("scheduleType").asText()).isEqualTo("CRON");
        assertThat(job.get("cronType").asText()).isEqualTo("UNIX");
        assertThat(job.get("valid").asBoolean()).isTrue();
        assertThat(job.get("description").asText()).isNotBlank();
        assertThat(job.get("nextFireAt").asText()).isEqualTo("2026-03-01T01:00:00Z");
        assertThat(job.get("stuckAfter").asText()).isEqualTo("PT5M");
    }

    @Test
    void showsAnInvalidJobWithItsError() {
        JsonNode job = ok("/api/v1/jobs/" + Seeds.BROKEN);
        assertThat(job.get("valid").asBoolean()).isFalse();
        assertThat(job.get("error").asText()).contains("Invalid cron expression '* * * *'");
    }

    @Test
    void answersIdsThatNeedEncoding() {
        JsonNode job = ok("/api/v1/jobs/" + encode(Seeds.UNICODE));
        assertThat(job.get("jobId").asText()).isEqualTo(Seeds.UNICODE);
    }

    @Test
    void unknownAndDeletedJobsAre404() {
        error("/api/v1/jobs/nope", 404);
        error("/api/v1/jobs/" + Seeds.GONE, 404);
        error("/api/v1/jobs/nope/next", 404);
        error("/api/v1/jobs/nope/runs", 404);
    }

    @Test
    void badIdsAre400() {
        error("/api/v1/jobs/" + "x".repeat(600), 400);
        error("/api/v1/jobs/a%01b", 400);
        error("/api/v1/runs/" + "r".repeat(600), 400);
        error("/api/v1/libraries/%09", 400);
    }

    @Test
    void nextFireTimesChainAsTheTickerDoes() {
        JsonNode next = ok("/api/v1/jobs/" + Seeds.HOURLY + "/next?count=3");
        assertThat(next.get("jobId").asText()).isEqualTo(Seeds.HOURLY);
        assertThat(texts(next.get("next"))).containsExactly(
                "2026-03-01T01:00:00Z", "2026-03-01T02:00:00Z", "2026-03-01T03:00:00Z");
        // 02:00 in Berlin (CET, UTC+1) is 01:00 UTC.
        assertThat(texts(ok("/api/v1/jobs/" + Seeds.NIGHTLY + "/next?count=2").get("next")))
                .containsExactly("2026-03-01T01:00:00Z", "2026-03-02T01:00:00Z");
        assertThat(ok("/api/v1/jobs/" + Seeds.HOURLY + "/next").get("next").size()).isEqualTo(10);
    }

    @Test
    void manualDisabledAndInvalidJobsHaveNoNextFires() {
        for (String jobId : List.of(Seeds.MANUAL, Seeds.PAUSED, Seeds.BROKEN)) {
            assertThat(ok("/api/v1/jobs/" + jobId + "/next?count=5").get("next").size()).as(jobId).isZero();
        }
    }

    @Test
    void countOutOfRangeIs400() {
        for (String count : List.of("0", "101", "-1", "abc", "1.5", "99999999999")) {
            JsonNode body = error("/api/v1/jobs/" + Seeds.HOURLY + "/next?count=" + count, 400);
            assertThat(body.get("error").asText()).contains("count must be a whole number from 1 to 100");
        }
    }

    @Test
    void historyHasItemsAndStats() {
        JsonNode history = ok("/api/v1/jobs/" + Seeds.THUMBS + "/runs");
        assertThat(history.get("count").asInt()).isEqualTo(2);
        assertThat(runIds(history)).containsExactlyInAnyOrder(Seeds.COMPLETED_RUN, Seeds.FAILED_RUN);
        JsonNode stats = history.get("stats");
        assertThat(stats.get("successRate").asDouble()).isEqualTo(0.5);
        for (String field : List.of("runs", "succeeded", "failed", "successRate", "avgDurationMs", "lastSuccessAt",
                "lastFailureAt")) {
            assertThat(stats.has(field)).as(field).isTrue();
        }
    }

    @Test
    void aKnownJobWithoutRunsHasAnEmptyHistory() {
        JsonNode history = ok("/api/v1/jobs/" + Seeds.MANUAL + "/runs");
        assertThat(history.get("count").asInt()).isZero();
        assertThat(history.get("stats").get("runs").asInt()).isZero();
    }

    @Test
    void listsRunsFiltered() {
        assertThat(runIds(ok("/api/v1/runs"))).containsExactlyInAnyOrder(
                Seeds.RUNNING_RUN, Seeds.STUCK_RUN, Seeds.COMPLETED_RUN, Seeds.FAILED_RUN);
        assertThat(runIds(ok("/api/v1/runs?status=RUNNING"))).containsExactlyInAnyOrder(Seeds.RUNNING_RUN, Seeds.STUCK_RUN);
        assertThat(runIds(ok("/api/v1/runs?status=running&stuck=true"))).containsExactly(Seeds.STUCK_RUN);
        assertThat(runIds(ok("/api/v1/runs?stuck=false&jobId=" + Seeds.THUMBS)))
                .containsExactlyInAnyOrder(Seeds.COMPLETED_RUN, Seeds.FAILED_RUN);
        // both changed last at the same second (the stuck scan flagged one as the other started): the greater id first
        assertThat(runIds(ok("/api/v1/runs?limit=1"))).containsExactly(Seeds.STUCK_RUN);
        assertThat(runIds(ok("/api/v1/runs"))).containsExactly(
                Seeds.STUCK_RUN, Seeds.RUNNING_RUN, Seeds.FAILED_RUN, Seeds.COMPLETED_RUN);
    }

    /** DESIGN §7: following {@code next} walks the whole list, in its order, each item once, then next is null. */
    @Test
    void everyListIsPagedAndTheCursorsWalkItInOrder() {
        for (String list : List.of("/api/v1/runs", "/api/v1/jobs", "/api/v1/libraries", "/api/v1/stuck",
                "/api/v1/runs?status=RUNNING")) {
            JsonNode whole = ok(list);
            assertThat(whole.get("next").isNull()).as(list + " fits one default page").isTrue();
            List<JsonNode> walked = new java.util.ArrayList<>();
            String sep = list.contains("?") ? "&" : "?";
            JsonNode page = ok(list + sep + "limit=1");
            while (true) {
                assertThat(page.get("count").asInt()).as(list).isLessThanOrEqualTo(1);
                page.get("items").forEach(walked::add);
                if (page.get("next").isNull()) {
                    break;
                }
                page = ok(list + sep + "limit=1&cursor=" + page.get("next").asText());
            }
            assertThat(walked).as(list).containsExactlyElementsOf(whole.get("items"));
        }
    }

    @Test
    void badRunFiltersAndPagesAre400() {
        error("/api/v1/runs?status=DONE", 400);
        error("/api/v1/runs?stuck=maybe", 400);
        error("/api/v1/runs?limit=0", 400);
        error("/api/v1/runs?limit=1001", 400);
        error("/api/v1/jobs?limit=1001", 400);
        error("/api/v1/stuck?limit=x", 400);
        error("/api/v1/runs?cursor=not-a-cursor", 400);
        error("/api/v1/libraries?cursor=%5B%5D", 400);
    }

    @Test
    void showsOneRunWithStagesPercentAndEta() {
        JsonNode run = ok("/api/v1/runs/" + Seeds.RUNNING_RUN);
        for (String field : List.of("runId", "jobId", "jobType", "status", "stuck", "stuckSince", "trigger",
                "scheduledFor", "createdAt", "startedAt", "updatedAt", "completedAt", "percent", "etaSeconds", "stages")) {
            assertThat(run.has(field)).as(field).isTrue();
        }
        // 250 + 120 + 3 of 750 items, at the rate the events' times show.
        assertThat(run.get("percent").asDouble()).isEqualTo(49.7);
        assertThat(run.get("etaSeconds").asLong()).isPositive();
        JsonNode stage = run.get("stages").get("thumbnail");
        assertThat(stage.get("total").asLong()).isEqualTo(250);
        assertThat(stage.get("failed").asLong()).isEqualTo(3);
        for (String field : List.of("status", "total", "completed", "failed", "message", "startedAt", "completedAt")) {
            assertThat(stage.has(field)).as(field).isTrue();
        }
        error("/api/v1/runs/unknown@1", 404);
    }

    @Test
    void listsStuckRuns() {
        JsonNode stuck = ok("/api/v1/stuck");
        assertThat(runIds(stuck)).containsExactly(Seeds.STUCK_RUN);
        assertThat(stuck.get("items").get(0).get("stuckSince").isTextual()).isTrue();
    }

    @Test
    void showsALibrarysPendingChangeSet() {
        JsonNode library = ok("/api/v1/libraries/" + Seeds.LIBRARY);
        assertThat(library.get("added").asLong()).isEqualTo(2);
        assertThat(library.get("changeCount").asLong()).isEqualTo(4);
        assertThat(library.get("pending").size()).isEqualTo(4);
        assertThat(library.get("pending").get(0).get("path").asText()).isEqualTo("/photos/2025/c.jpg");
        assertThat(library.has("lastChangeAt")).isTrue();
        assertThat(library.get("next").isNull()).isTrue();
        List<String> walked = new ArrayList<>();
        JsonNode page = ok("/api/v1/libraries/" + Seeds.LIBRARY + "?limit=1");
        while (true) {
            assertThat(page.get("pending").size()).isEqualTo(1);
            assertThat(page.get("added").asLong()).as("counts cover every path").isEqualTo(2);
            walked.add(page.get("pending").get(0).get("path").asText());
            if (page.get("next").isNull()) {
                break;
            }
            page = ok("/api/v1/libraries/" + Seeds.LIBRARY + "?limit=1&cursor=" + page.get("next").asText());
        }
        assertThat(walked).containsExactly("/photos/2025/c.jpg", "/photos/2026/a.jpg", "/photos/2026/b.jpg",
                "/photos/old/d.jpg");
        JsonNode all = ok("/api/v1/libraries");
        assertThat(all.get("count").asInt()).isEqualTo(1);
        assertThat(all.get("items").get(0).get("changeCount").asLong()).isEqualTo(4);
        error("/api/v1/libraries/none", 404);
    }

    @Test
    void triggerWithoutOrWithWrongTokenIs401() {
        Http.Response missing = Http.post(harness.url("/api/v1/jobs/" + Seeds.THUMBS + "/trigger"), null);
        assertError(missing, 401);
        assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
        assertError(Http.post(harness.url("/api/v1/jobs/" + Seeds.THUMBS + "/trigger"), null,
                "Authorization", "Bearer wrong"), 401);
        assertError(Http.post(harness.url("/api/v1/jobs/" + Seeds.THUMBS + "/trigger"), null,
                "Authorization", "Basic " + DriverHarness.TOKEN), 401);
    }

    @Test
    void aTokenArrivesExactlyAsSentEvenAfterAnotherSpellingOnTheSameConnection() {
        // Jetty's header cache matched values case-insensitively: once "Bearer <token>" had been seen on a
        // connection, "Bearer <TOKEN>" reached the route as the cached, right spelling (and the reverse).
        // An unknown job: past the token check the answer is 404, with nothing triggered.
        String url = harness.url("/api/v1/jobs/nope/trigger");
        for (int i = 0; i < 3; i++) {
            assertError(Http.post(url, null, "Authorization", "Bearer " + DriverHarness.TOKEN), 404);
            assertError(Http.post(url, null, "Authorization", "Bearer " + DriverHarness.TOKEN.toUpperCase()), 401);
            assertError(Http.post(url, null, "Authorization", "BEARER " + DriverHarness.TOKEN.toUpperCase()), 401);
        }
    }

    @Test
    void triggerOfUnknownDeletedOrInvalidJobIs404Or409() {
        assertError(trigger("nope", null), 404);
        assertError(trigger(Seeds.GONE, null), 404);
        JsonNode invalid = assertError(trigger(Seeds.BROKEN, null), 409);
        assertThat(invalid.get("error").asText()).contains("invalid");
    }

    @Test
    void triggerWithBadBodyIs400AndTooLargeIs413() {
        assertError(trigger(Seeds.PAUSED, "{not json"), 400);
        assertError(trigger(Seeds.PAUSED, "[1, 2]"), 400);
        assertError(trigger(Seeds.PAUSED, "{\"triggeredBy\": 42}"), 400);
        assertError(trigger(Seeds.PAUSED, "{\"triggeredBy\": \"" + "a".repeat(201) + "\"}"), 400);
        assertError(trigger(Seeds.PAUSED, "{\"triggeredBy\": \"" + "a".repeat(5000) + "\"}"), 413);
    }

    @Test
    void triggerIsAcceptedOnceAMinuteAndReachesTheTicker() {
        Http.Response accepted = trigger(Seeds.MANUAL, "{\"triggeredBy\": \"alice\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonNode body = accepted.json();
        assertThat(body.get("jobId").asText()).isEqualTo(Seeds.MANUAL);
        assertThat(body.get("triggeredBy").asText()).isEqualTo("alice");
        assertThat(body.get("runId").asText()).startsWith(Seeds.MANUAL + "@");

        List<DueEvent> due = harness.dueEvents();
        assertThat(due).anySatisfy(event -> {
            assertThat(event.jobId()).isEqualTo(Seeds.MANUAL);
            assertThat(event.trigger()).isEqualTo(Trigger.MANUAL);
            assertThat(event.triggeredBy()).isEqualTo("alice");
            assertThat(event.runId()).isEqualTo(body.get("runId").asText());
        });

        Http.Response again = trigger(Seeds.MANUAL, null);
        assertError(again, 429);
        assertThat(Integer.parseInt(again.header("Retry-After"))).isBetween(1, 60);
        assertThat(Http.get(harness.url("/metrics")).body())
                .contains("cronstream_api_trigger_requests_total{outcome=\"accepted\"}")
                .contains("cronstream_api_trigger_requests_total{outcome=\"rate_limited\"}");
    }

    @Test
    void triggerWithoutConfiguredTokenInProductionIs503() {
        try (DriverHarness noToken = new DriverHarness(DriverHarness.START, Optional.empty(), ApiSettings.Mode.PRODUCTION)) {
            Http.Response response = Http.post(noToken.url("/api/v1/jobs/x/trigger"), null, "Authorization", AUTH);
            JsonNode body = assertError(response, 503);
            assertThat(body.get("error").asText()).isEqualTo("trigger disabled: no token configured");
        }
    }

    @Test
    void storesThatAreNotQueryableGive503WithRetryAfterNever404() {
        try (DriverHarness closing = new DriverHarness()) {
            Seeds.into(closing);
            closing.closeStores();
            for (String path : List.of("/api/v1/jobs/" + Seeds.HOURLY, "/api/v1/jobs/nope", "/api/v1/jobs",
                    "/api/v1/runs/" + Seeds.RUNNING_RUN, "/api/v1/stuck", "/api/v1/libraries/" + Seeds.LIBRARY,
                    "/api/v1/jobs/" + Seeds.THUMBS + "/runs", "/ready")) {
                Http.Response response = Http.get(closing.url(path));
                assertError(response, 503);
                assertThat(response.header("Retry-After")).as(path).isEqualTo("1");
            }
        }
    }

    @Test
    void healthAndReadiness() {
        JsonNode health = ok("/health");
        assertThat(health.get("live").asBoolean()).isTrue();
        JsonNode pipeline = health.get("pipeline");
        assertThat(pipeline.get("connector").isNull()).as("no Connect URL: nothing watched").isTrue();
        assertThat(pipeline.get("task").asText()).isEqualTo("UNKNOWN");
        assertThat(pipeline.has("lastChangeAgeSeconds")).isTrue();
        JsonNode ready = ok("/ready");
        assertThat(ready.get("ready").asBoolean()).isTrue();
        assertThat(ready.get("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void metricsArePrometheusTextWithRunCounts() {
        Http.Response metrics = Http.get(harness.url("/metrics"));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("cronstream_runs{status=\"RUNNING\"} 2.0")
                .contains("cronstream_runs{status=\"COMPLETED\"} 1.0")
                .contains("cronstream_runs_stuck 1.0");
    }

    /** A scrape reads the maintained counts, never the runs themselves. */
    @Test
    void metricsReadTheMaintainedCountsNotEveryRun() {
        harness.storesOpened();
        assertThat(Http.get(harness.url("/metrics")).status()).isEqualTo(200);
        assertThat(harness.storesOpened()).contains(StoreNames.RUN_COUNTS).doesNotContain(StoreNames.RUNS);
    }

    /** The stuck list comes from the stuck index: only stuck runs are read. */
    @Test
    void theStuckListReadsTheStuckIndex() {
        harness.storesOpened();
        assertThat(runIds(ok("/api/v1/stuck"))).containsExactly(Seeds.STUCK_RUN);
        assertThat(harness.storesOpened()).contains(StoreNames.STUCK_INDEX);
    }

    @Test
    void servesOpenApiAndTheDashboard() {
        assertThat(ok("/openapi.json").get("openapi").asText()).startsWith("3.");
        Http.Response page = Http.get(harness.url("/"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<title>Cronstream</title>");
        Http.Response script = Http.get(harness.url("/dashboard/app.js"));
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.body()).contains("REFRESH_MS");
    }

    @Test
    void unknownRoutesAndMethodsAnswerJson() {
        error("/api/v1/nothing", 404);
        error("/api/v2/jobs", 404);
        assertThat(Http.post(harness.url("/api/v1/jobs"), "{}").json().get("status").asInt()).isBetween(400, 499);
    }

    private JsonNode ok(String path) {
        Http.Response response = Http.get(harness.url(path));
        assertThat(response.status()).as(path + " → " + response.body()).isEqualTo(200);
        return response.json();
    }

    private JsonNode error(String path, int status) {
        return assertError(Http.get(harness.url(path)), status);
    }

    private static JsonNode assertError(Http.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).isNotBlank();
        return body;
    }

    private Http.Response trigger(String jobId, String body) {
        return Http.post(harness.url("/api/v1/jobs/" + encode(jobId) + "/trigger"), body,
                "Authorization", AUTH, "Content-Type", "application/json");
    }

    private static List<String> runIds(JsonNode list) {
        return texts(list.get("items").findValues("runId"));
    }

    private static List<String> texts(Iterable<JsonNode> nodes) {
        List<String> texts = new ArrayList<>();
        nodes.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
