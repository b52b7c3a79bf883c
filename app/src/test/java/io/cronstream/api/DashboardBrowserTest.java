package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium (Debian's chromium and chromium-driver; nothing is
 * downloaded) against a running instance with seeded jobs and runs. Skipped where Chromium is not
 * installed. Leaves screenshots in {@code target/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    /** Seeded by the failure test only, after the first test has counted the seeded jobs. */
    private static final String FLAKY = "flaky-scan";
    private static final String FLAKY_RUN = DueEvent.runIdFor(FLAKY, Instant.parse("2026-03-01T02:00:00Z"));
    private static final String FLAKY_RETRY = DueEvent.retryRunIdFor(FLAKY_RUN, 2);
    private static final String FLAKY_LAST = DueEvent.retryRunIdFor(FLAKY_RUN, 3);
    /** Markup in a worker's error must show as text. */
    private static final String HOSTILE_ERROR = "cancelled: timed out after PT15M <img src=x onerror=\"window.pwned=1\">";


    private DriverHarness harness;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws IOException {
        assumeTrue(HeadlessChromium.installed(),
                "headless Chromium is not installed (apt-get install chromium chromium-driver)");
        // Seeding moves the driver's clock 6 minutes on: start it 7 minutes back so the page's
        // "5 min ago" texts agree with the browser's clock.
        harness = new DriverHarness(Instant.now().minus(Duration.ofMinutes(7)), Optional.of(DriverHarness.TOKEN),
                ApiSettings.Mode.DEV);
        Seeds.into(harness);
        browser = HeadlessChromium.start(1280, 800);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    @Order(1)
    void showsJobsRunsStuckRunsAndTriggersARun() throws IOException {
        browser.get(harness.url("/"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#jobs tbody tr"), Seeds.jobs().length));
        // The seeded runs; the driver's clock runs on real time, so a seeded schedule may add a run of its own.
        for (String run : List.of(Seeds.RUNNING_RUN, Seeds.STUCK_RUN, Seeds.COMPLETED_RUN, Seeds.FAILED_RUN)) {
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".run[data-run='" + run + "']")));
        }

        WebElement hourly = browser.findElement(By.cssSelector("tr[data-job='" + Seeds.HOURLY + "']"));
        assertThat(hourly.getText()).contains("Hourly sync").contains("0 * * * *");
        WebElement broken = browser.findElement(By.cssSelector("tr[data-job='" + Seeds.BROKEN + "']"));
        assertThat(broken.getText()).contains("invalid").contains("Invalid cron expression");
        assertThat(broken.findElement(By.cssSelector("button.run-now")).isEnabled()).isFalse();

        WebElement running = browser.findElement(By.cssSelector(".run[data-run='" + Seeds.RUNNING_RUN + "']"));
        assertThat(running.getText()).contains("50%").contains("ETA");
        List<WebElement> bars = running.findElements(By.cssSelector(".stage .bar[role='progressbar']"));
        assertThat(bars).hasSize(3);
        assertThat(bars.get(0).getAttribute("aria-valuenow")).isEqualTo("100");
        assertThat(bars.get(1).getAttribute("aria-valuenow")).isEqualTo("49");

        WebElement stuck = browser.findElement(By.cssSelector(".run.stuck"));
        assertThat(stuck.getAttribute("data-run")).isEqualTo(Seeds.STUCK_RUN);
        assertThat(stuck.getText()).contains("STUCK").contains("No progress since");
        assertThat(browser.findElement(By.id("count-stuck")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.cssSelector("tr[data-library='" + Seeds.LIBRARY + "']")).getText())
                .contains("photos");
        screenshot("dashboard.png");

        browser.findElement(By.cssSelector("tr[data-job='" + Seeds.THUMBS + "'] button.run-now")).click();
        WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        screenshot("dashboard-token.png");
        token.sendKeys(DriverHarness.TOKEN);
        browser.findElement(By.id("token-submit")).click();
        WebElement toast = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".toast.ok")));
        assertThat(toast.getText()).contains("Trigger accepted").contains("Thumbnail rebuild");
        screenshot("dashboard-triggered.png");

        assertThat(harness.dueEvents()).anySatisfy(event -> {
            assertThat(event.jobId()).isEqualTo(Seeds.THUMBS);
            assertThat(event.trigger()).isEqualTo(Trigger.MANUAL);
            assertThat(event.triggeredBy()).isEqualTo("dashboard");
        });

        // The job's detail: run history and statistics; without MongoDB the change trail says why it is missing.
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("tr[data-job='" + Seeds.THUMBS + "'] button.job-name")).click();
            return true;
        });
        WebElement history = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#detail-body table.history")));
        assertThat(history.findElement(By.cssSelector("tr[data-run='" + Seeds.FAILED_RUN + "']")).getText())
                .contains("FAILED").contains("disk full");
        assertThat(history.findElement(By.cssSelector("tr[data-run='" + Seeds.COMPLETED_RUN + "']")).getText())
                .contains("COMPLETED").contains("40");
        assertThat(browser.findElement(By.id("detail-actions")).getText()).startsWith("enabled").doesNotContain("null");
        String detail = browser.findElement(By.id("detail-body")).getText();
        assertThat(detail).contains("SUCCESS RATE\n50%").contains("change trail unavailable: no MongoDB configured");
        screenshot("dashboard-job-detail.png");
        browser.findElement(By.id("detail-close")).click();
    }

    /**
     * Issue 16: attempts, a timed-out run's error, a missed start, a completed retry's result (collapsed), the job's
     * failure handling and the alert feed. The worker events go through the real topology; what other parts of
     * issue 16 add to the answers (attempt, failureReason, missedAt, the parsed policy, the alerts route) is filled
     * into the page's API answers where the answer lacks it, so the page is tested on the documented shapes.
     */
    @Test
    @Order(2)
    void showsAttemptsTimeoutsMissedStartsResultsErrorsAndTheAlertFeed() throws IOException {
        harness.putJob(FLAKY, """
            {"name": "Flaky scan", "jobType": "LibraryScan", "cronExpression": "0 2 * * *",
             "retry": {"maxAttempts": 3, "initialInterval": "PT10S", "backoffCoefficient": 2.0, "maxInterval": "PT10M"},
             "runTimeout": "PT15M", "startDeadline": "PT2M", "pauseOnFailure": 3,
             "after": [{"jobId": "thumbs", "on": "COMPLETED"}], "notify": {"webhooks": ["https://hooks.example/x"]}}
            """);
        Instant begin = Instant.now().minus(Duration.ofMinutes(3));
        progress(FLAKY_RUN, begin, "\"kind\": \"RUN_FAILED\", \"message\": \"disk full\", \"error\": \"disk full\"");
        progress(FLAKY_RETRY, begin.plusSeconds(30), "\"kind\": \"RUN_FAILED\", \"message\": \"cancelled\", \"error\": "
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(HOSTILE_ERROR));
        progress(FLAKY_LAST, begin.plusSeconds(60),
                "\"kind\": \"RUN_COMPLETED\", \"result\": {\"files\": 12, \"thumbnailed\": 11, \"failed\": 1}");
        String overlay = """
            {"runs": {
               "%1$s": {"attempt": 1, "missedAt": "%4$s", "startDeadline": "PT2M", "error": "disk full"},
               "%2$s": {"attempt": 2, "retryOf": "%1$s", "failureReason": "TIMED_OUT", "runTimeout": "PT15M",
                        "error": %5$s},
               "%3$s": {"attempt": 3, "retryOf": "%1$s", "result": {"files": 12, "thumbnailed": 11, "failed": 1}}},
             "jobs": {"%6$s": {"retry": {"maxAttempts": 3, "initialInterval": "PT10S", "backoffCoefficient": 2.0,
                        "maxInterval": "PT10M", "jitter": 0.1},
                      "runTimeout": "PT15M", "startDeadline": "PT2M", "pauseOnFailure": 3,
                      "after": [{"jobId": "thumbs", "on": "COMPLETED"}],
                      "notify": {"webhooks": ["https://hooks.example/x"], "on": []}}},
             "alerts": {"alerts": [{"kind": "TIMED_OUT", "jobId": "%6$s", "runId": "%2$s", "attempt": 2, "at": "%4$s",
                                    "message": "<b>run timed out</b> after PT15M"}], "next": null}}
            """.formatted(FLAKY_RUN, FLAKY_RETRY, FLAKY_LAST, begin.plusSeconds(10),
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(HOSTILE_ERROR), FLAKY);
        Object script = browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", FETCH_OVERLAY.replace("OVERLAY", overlay))).get("identifier");
        try {
            browser.get(harness.url("/"));
            WebElement retry = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(".run[data-run='" + FLAKY_RETRY + "']")));
            wait.until(d -> d.findElement(By.cssSelector(".run[data-run='" + FLAKY_RETRY + "']")).getText()
                    .contains("attempt 2/3"));
            retry = browser.findElement(By.cssSelector(".run[data-run='" + FLAKY_RETRY + "']"));
            assertThat(retry.getText()).contains("FAILED").contains("attempt 2/3").contains("TIMED OUT")
                    .contains(HOSTILE_ERROR);
            assertThat(retry.findElements(By.tagName("img"))).isEmpty();

            WebElement first = browser.findElement(By.cssSelector(".run[data-run='" + FLAKY_RUN + "']"));
            assertThat(first.getText()).contains("attempt 1/3").contains("MISSED START").contains("disk full");

            WebElement last = browser.findElement(By.cssSelector(".run[data-run='" + FLAKY_LAST + "']"));
            assertThat(last.getText()).contains("COMPLETED").contains("attempt 3/3");
            WebElement result = last.findElement(By.cssSelector("details.run-result"));
            assertThat(result.getAttribute("open")).as("a result starts collapsed").isNull();
            assertThat(result.findElement(By.tagName("pre")).isDisplayed()).isFalse();
            result.findElement(By.tagName("summary")).click();
            wait.until(d -> d.findElement(By.cssSelector(".run[data-run='" + FLAKY_LAST + "'] details.run-result pre"))
                    .isDisplayed());
            assertThat(browser.findElement(By.cssSelector(".run[data-run='" + FLAKY_LAST + "'] details.run-result pre"))
                    .getText()).contains("\"thumbnailed\": 11");

            WebElement policy = browser.findElement(By.cssSelector("tr[data-job='" + FLAKY + "'] .policy"));
            assertThat(policy.getText()).contains("retry 3 attempts").contains("timeout PT15M")
                    .contains("start deadline PT2M").contains("pause after 3 failures").contains("after thumbs")
                    .contains("notify 1 webhook");

            WebElement alert = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#alerts li.alert[data-kind='TIMED_OUT']")));
            assertThat(alert.getText()).contains("TIMED OUT").contains("Flaky scan").contains("attempt 2")
                    .contains("<b>run timed out</b> after PT15M");
            assertThat(alert.findElements(By.tagName("b"))).isEmpty();
            assertThat(browser.executeScript("return window.pwned === undefined")).isEqualTo(true);
            assertThat(browser.findElement(By.id("banner")).isDisplayed()).isFalse();
            screenshot("dashboard-failures.png");

            browser.findElement(By.cssSelector("tr[data-job='" + FLAKY + "'] button.job-name")).click();
            WebElement history = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#detail-body table.history tr[data-run='" + FLAKY_RETRY + "']")));
            assertThat(history.getText()).contains("TIMED OUT").contains("2").contains(HOSTILE_ERROR);
            String facts = browser.findElement(By.id("detail-body")).getText();
            assertThat(facts).contains("RETRY\n3 attempts").contains("RUN TIMEOUT\nPT15M").contains("START DEADLINE\nPT2M")
                    .contains("PAUSE ON FAILURE\nafter 3").contains("thumbs completed").contains("NOTIFY\n1 webhook");
            screenshot("dashboard-failures-detail.png");
            browser.findElement(By.id("detail-close")).click();
        } finally {
            browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", script));
        }
    }

    /** A worker's run: RUN_STARTED at {@code begin}, then its end 40 s later. */
    private void progress(String runId, Instant begin, String end) {
        harness.progress(runId, """
            {"runId": "%s", "jobId": "%s", "jobType": "LibraryScan", "kind": "RUN_STARTED", "at": "%s"}
            """.formatted(runId, FLAKY, begin));
        harness.progress(runId, "{\"runId\": \"" + runId + "\", " + end + ", \"at\": \"" + begin.plusSeconds(40) + "\"}");
    }

    /**
     * Wraps the page's fetch: {@code /api/v1/alerts} answers the overlay's alerts (the route is another part of
     * issue 16); run and job answers get the overlay's fields where they lack them.
     */
    private static final String FETCH_OVERLAY = """
        (() => {
          const overlay = OVERLAY;
          const real = window.fetch.bind(window);
          const lacks = (item, key) => item[key] === null || item[key] === undefined
            || (key === "retry" && item.retry.maxAttempts <= 1) || (Array.isArray(item[key]) && item[key].length === 0);
          const fill = item => {
            if (!item || typeof item !== "object") return;
            const extra = item.runId ? overlay.runs[item.runId] : overlay.jobs[item.jobId];
            if (!extra) return;
            for (const [key, value] of Object.entries(extra)) if (lacks(item, key)) item[key] = value;
          };
          window.fetch = async (input, init) => {
            const path = new URL(typeof input === "string" ? input : input.url, location.href).pathname;
            const json = body => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
            if (path === "/api/v1/alerts") return json(overlay.alerts);
            const response = await real(input, init);
            if (!response.ok || !path.startsWith("/api/v1/") || (init && init.method && init.method !== "GET")) return response;
            const body = await response.json();
            (Array.isArray(body.items) ? body.items : [body]).forEach(fill);
            return json(body);
          };
        })();
        """;

    private void screenshot(String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, browser.getScreenshotAs(OutputType.BYTES));
    }
}
