package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.ticker.JobNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14: a page of a list reads about what it returns, from an index in the list's order (runs by last
 * change, jobs by name) or the store's own key order (libraries), not every stored item; and the pages walked
 * by their cursors are the whole list in its order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListPageCostTest {

    private static final String AUTH = "Bearer " + DriverHarness.TOKEN;
    private static final int RUNS = 2_000;
    private static final int JOBS = 600;
    private static final int LIBRARIES = 300;
    private static final List<String> NAMES = List.of("Nightly", "nightly", "Été", "zeta", "Alpha", "日本", "a b");

    private DriverHarness harness;
    /** Each list's items, as their ids, in the order the list must give them. */
    private final Map<String, List<String>> expected = new java.util.HashMap<>();

    @BeforeAll
    void start() {
        harness = new DriverHarness();
        Instant now = harness.start();
        List<String[]> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            if (i % 7 == 0) {
                harness.advance(Duration.ofMillis(900)); // several runs a second, seconds apart now and then
                now = now.plusMillis(900);
            }
            String runId = "job-" + (i * 7919 % RUNS) + "@" + i; // ids not in write order
            harness.progress(runId, """
                {"runId": "%s", "kind": "RUN_STARTED", "at": "%s"}
                """.formatted(runId, now));
            runs.add(new String[] {now.truncatedTo(ChronoUnit.SECONDS).toString(), runId});
        }
        runs.sort(Comparator.<String[], String>comparing(run -> run[0]).thenComparing(run -> run[1]).reversed());
        expected.put("/api/v1/runs", runs.stream().map(run -> run[1]).toList());

        List<String[]> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String jobId = "j" + (i * 389 % JOBS);
            String name = i % 11 == 0 ? null : NAMES.get(i % NAMES.size()) + " " + (i % 5);
            harness.putJob(jobId, (name == null ? "{" : "{\"name\": \"" + name + "\", ") + "\"cron\": \"0 3 * * *\"}");
            jobs.add(new String[] {name == null ? jobId : name, jobId}); // a job without a name is named by its id
        }
        jobs.sort((a, b) -> JobNames.compare(JobNames.key(a[0], a[1]), JobNames.key(b[0], b[1])));
        expected.put("/api/v1/jobs", jobs.stream().map(job -> job[1]).toList());

        List<String> libraries = new ArrayList<>();
        for (int i = 0; i < LIBRARIES; i++) {
            String libraryId = (i % 3 == 0 ? "Ünï-" : i % 3 == 1 ? "lib-" : "\uD83D\uDCF7-") + (i * 131 % LIBRARIES);
            harness.fileChange(libraryId, """
                {"libraryId": "%s", "path": "/p/%d.jpg", "change": "ADDED", "detectedAt": "%s"}
                """.formatted(libraryId, i, now));
            libraries.add(libraryId);
        }
        libraries.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8)));
        expected.put("/api/v1/libraries", libraries);
        DriverHarness.COUNTED.forEach(harness::read);
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @Test
    void aPageOfRunsReadsAboutWhatItReturns() {
        assertAPageReadsAboutWhatItReturns("/api/v1/runs", StoreNames.RUNS, "runId");
    }

    @Test
    void aPageOfJobsReadsAboutWhatItReturns() {
        assertAPageReadsAboutWhatItReturns("/api/v1/jobs", StoreNames.JOBS, "jobId");
    }

    @Test
    void aPageOfLibrariesReadsAboutWhatItReturns() {
        assertAPageReadsAboutWhatItReturns("/api/v1/libraries", StoreNames.LIBRARIES, "libraryId");
    }

    @Test
    void theCursorsWalkEachWholeListInItsOrder() {
        for (var list : Map.of("/api/v1/runs", StoreNames.RUNS, "/api/v1/jobs", StoreNames.JOBS,
                "/api/v1/libraries", StoreNames.LIBRARIES).entrySet()) {
            String idField = list.getValue().equals(StoreNames.RUNS) ? "runId"
                    : list.getValue().equals(StoreNames.JOBS) ? "jobId" : "libraryId";
            List<String> walked = new ArrayList<>();
            JsonNode page = get(list.getKey() + "?limit=97");
            while (true) {
                walked.addAll(ids(page, idField));
                // the page, one more to know there is a next page, and the cursor's own item where a scan starts at it
                assertThat(harness.read(list.getValue())).as("read for one page of " + list.getKey())
                        .isLessThanOrEqualTo(99);
                if (page.get("next").isNull()) {
                    break;
                }
                page = get(list.getKey() + "?limit=97&cursor=" + page.get("next").asText());
            }
            assertThat(walked).as(list.getKey()).containsExactlyElementsOf(expected.get(list.getKey()));
        }
    }

    private void assertAPageReadsAboutWhatItReturns(String list, String store, String idField) {
        JsonNode page = get(list + "?limit=10");
        long read = harness.read(store);

        assertThat(ids(page, idField)).containsExactlyElementsOf(expected.get(list).subList(0, 10));
        assertThat(read).as("read for a page of 10 out of " + expected.get(list).size()).isLessThanOrEqualTo(12);
    }

    private JsonNode get(String path) {
        Http.Response response = Http.get(harness.url(path), "Authorization", AUTH);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static List<String> ids(JsonNode page, String field) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get(field).asText()));
        return ids;
    }
}
