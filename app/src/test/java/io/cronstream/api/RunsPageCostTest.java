package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14: a page of {@code /api/v1/runs} reads the runs up to its last item from the recency index, not every
 * stored run, and the pages walked by their cursors are the whole list newest change first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunsPageCostTest {

    private static final String AUTH = "Bearer " + DriverHarness.TOKEN;
    private static final int RUNS = 2_000;

    private DriverHarness harness;
    /** runId → the second of its last change, as the runs were written. */
    private final List<String[]> written = new ArrayList<>();

    @BeforeAll
    void start() {
        harness = new DriverHarness();
        Instant now = harness.start();
        for (int i = 0; i < RUNS; i++) {
            if (i % 7 == 0) {
                harness.advance(Duration.ofMillis(900)); // several runs a second, seconds apart now and then
                now = now.plusMillis(900);
            }
            String runId = "job-" + (i * 7919 % RUNS) + "@" + i; // ids not in write order
            harness.progress(runId, """
                {"runId": "%s", "kind": "RUN_STARTED", "at": "%s"}
                """.formatted(runId, now));
            written.add(new String[] {now.truncatedTo(ChronoUnit.SECONDS).toString(), runId});
        }
        written.sort(Comparator.<String[], String>comparing(run -> run[0]).thenComparing(run -> run[1]).reversed());
        harness.runsRead();
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @Test
    void aPageReadsAboutWhatItReturns() {
        JsonNode page = get("/api/v1/runs?limit=10");
        long read = harness.runsRead();

        assertThat(ids(page)).containsExactlyElementsOf(expected(0, 10));
        assertThat(read).as("runs read for a page of 10 out of " + RUNS).isLessThanOrEqualTo(11);
    }

    @Test
    void theCursorsWalkTheWholeListNewestChangeFirst() {
        List<String> walked = new ArrayList<>();
        JsonNode page = get("/api/v1/runs?limit=333");
        while (true) {
            walked.addAll(ids(page));
            assertThat(harness.runsRead()).as("runs read for one page").isLessThanOrEqualTo(334);
            if (page.get("next").isNull()) {
                break;
            }
            page = get("/api/v1/runs?limit=333&cursor=" + page.get("next").asText());
        }
        assertThat(walked).containsExactlyElementsOf(expected(0, RUNS));
    }

    private List<String> expected(int from, int to) {
        return written.subList(from, to).stream().map(run -> run[1]).toList();
    }

    private JsonNode get(String path) {
        Http.Response response = Http.get(harness.url(path), "Authorization", AUTH);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(run -> ids.add(run.get("runId").asText()));
        return ids;
    }
}
