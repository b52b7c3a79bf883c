package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
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
    /** Markup in a worker's error must show as text: on the run, in its history and in its FAILED alert. */
    private static final String DISK_FULL = "disk full: <b>/var/cache</b> <img src=x onerror=\"window.pwned=1\">";
    private static final String HOSTILE_ERROR = "cancelled: timed out after PT15M <img src=x onerror=\"window.pwned=2\">";


    private DriverHarness harness;
    /** What the progress topology writes to cronstream.run-control (CANCEL), as a worker reads it. */
    private TestOutputTopic<String, String> runControl;
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
        runControl = harness.driver.createOutputTopic(harness.app.topics().runControl(), new StringDeserializer(),
                new StringDeserializer());
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
     * Issue 16 on real state: a job whose failure handling comes from its definition, fired by the ticker; its first
     * run misses its start and fails, the ticker retries it, the progress topology times the retry out (CANCEL) and
     * keeps the worker's error that follows, the third attempt completes with a result. The page shows attempts,
     * the timeout, the missed start, errors as text, the collapsed result, the policy and the alerts the topology
     * raised, read from GET /api/v1/alerts. Every wait is on the driver's clock or the page (WebDriverWait).
     */
    @Test
    @Order(2)
    void showsAttemptsTimeoutsMissedStartsResultsErrorsAndTheAlertFeed() throws IOException {
        // A daily schedule whose one fire is the next minute of the driver's clock: exactly one scheduled run.
        Instant fire = harness.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        ZonedDateTime at = fire.atZone(ZoneOffset.UTC);
        harness.putJob(FLAKY, """
            {"name": "Flaky scan", "jobType": "LibraryScan", "cronExpression": "%d %d * * *", "timeZone": "UTC",
             "retry": {"maxAttempts": 3, "initialInterval": "PT10S", "backoffCoefficient": 2.0, "maxInterval": "PT10M"},
             "runTimeout": "PT15M", "startDeadline": "PT2M", "pauseOnFailure": 3,
             "after": [{"jobId": "thumbs", "on": "COMPLETED"}], "notify": {"webhooks": ["https://hooks.example/x"]}}
            """.formatted(at.getMinute(), at.getHour()));
        harness.dueEvents(); // what other jobs fired so far
        String first = DueEvent.runIdFor(FLAKY, fire);
        String retry = DueEvent.retryRunIdFor(first, 2);
        String last = DueEvent.retryRunIdFor(first, 3);

        harness.advanceTo(fire.plusSeconds(1));
        DueEvent firstDue = dueOf(first);
        assertThat(firstDue.trigger()).isEqualTo(Trigger.SCHEDULE);
        assertThat(firstDue.attempt()).isEqualTo(1);
        assertThat(firstDue.startDeadline()).isEqualTo(Duration.ofMinutes(2));
        assertThat(firstDue.runTimeout()).isEqualTo(Duration.ofMinutes(15));

        // No worker picks it up within its start deadline (MISSED); one comes late and fails.
        harness.advance(Duration.ofMinutes(2).plusSeconds(15));
        worker(first, "\"kind\": \"RUN_STARTED\"");
        worker(first, "\"kind\": \"RUN_FAILED\", \"message\": \"disk full\", \"error\": " + json(DISK_FULL));

        // The ticker retries after the backoff (10 s, jitter 0.1); the retry starts and hangs past its runTimeout.
        harness.advance(Duration.ofSeconds(30));
        DueEvent retryDue = dueOf(retry);
        assertThat(retryDue.trigger()).isEqualTo(Trigger.RETRY);
        assertThat(retryDue.attempt()).isEqualTo(2);
        assertThat(retryDue.retryOf()).isEqualTo(first);
        worker(retry, "\"kind\": \"RUN_STARTED\"");
        harness.advance(Duration.ofMinutes(15).plusSeconds(15));
        assertThat(runControl.readValuesToList()).as("the timed-out retry is cancelled")
                .anySatisfy(control -> assertThat(control).contains("\"CANCEL\"").contains(retry));
        // The worker honours the CANCEL and reports the failure with its own error.
        worker(retry, "\"kind\": \"RUN_FAILED\", \"message\": \"cancelled\", \"error\": " + json(HOSTILE_ERROR));

        // The third attempt (backoff 20 s) completes with a result.
        harness.advance(Duration.ofSeconds(40));
        DueEvent lastDue = dueOf(last);
        assertThat(lastDue.trigger()).isEqualTo(Trigger.RETRY);
        assertThat(lastDue.attempt()).isEqualTo(3);
        worker(last, "\"kind\": \"RUN_STARTED\"");
        worker(last, "\"kind\": \"RUN_COMPLETED\", \"result\": {\"files\": 12, \"thumbnailed\": 11, \"failed\": 1}");

        browser.get(harness.url("/"));
        wait.until(d -> d.findElement(By.cssSelector(".run[data-run='" + retry + "']")).getText()
                .contains("attempt 2/3"));
        WebElement retried = browser.findElement(By.cssSelector(".run[data-run='" + retry + "']"));
        assertThat(retried.getText()).contains("FAILED").contains("attempt 2/3").contains("TIMED OUT")
                .contains(HOSTILE_ERROR);
        assertThat(retried.findElements(By.tagName("img"))).isEmpty();

        WebElement firstRun = browser.findElement(By.cssSelector(".run[data-run='" + first + "']"));
        assertThat(firstRun.getText()).contains("FAILED").contains("attempt 1/3").contains("MISSED START")
                .contains(DISK_FULL);
        assertThat(firstRun.findElements(By.tagName("b"))).isEmpty();

        WebElement lastRun = browser.findElement(By.cssSelector(".run[data-run='" + last + "']"));
        assertThat(lastRun.getText()).contains("COMPLETED").contains("attempt 3/3");
        WebElement result = lastRun.findElement(By.cssSelector("details.run-result"));
        assertThat(result.getAttribute("open")).as("a result starts collapsed").isNull();
        assertThat(result.findElement(By.tagName("pre")).isDisplayed()).isFalse();
        result.findElement(By.tagName("summary")).click();
        wait.until(d -> d.findElement(By.cssSelector(".run[data-run='" + last + "'] details.run-result pre"))
                .isDisplayed());
        assertThat(browser.findElement(By.cssSelector(".run[data-run='" + last + "'] details.run-result pre"))
                .getText()).contains("\"thumbnailed\": 11");

        WebElement policy = browser.findElement(By.cssSelector("tr[data-job='" + FLAKY + "'] .policy"));
        assertThat(policy.getText()).contains("retry 3 attempts").contains("timeout PT15M")
                .contains("start deadline PT2M").contains("pause after 3 failures").contains("after thumbs")
                .contains("notify 1 webhook");

        // The feed: the alerts the progress topology raised, as GET /api/v1/alerts answers them.
        WebElement timedOut = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#alerts li.alert[data-kind='TIMED_OUT'][data-run='" + retry + "']")));
        assertThat(timedOut.getText()).contains("TIMED OUT").contains("Flaky scan").contains("attempt 2")
                .contains("timed out").contains("runTimeout PT15M");
        WebElement missed = browser.findElement(By.cssSelector("#alerts li.alert[data-kind='MISSED'][data-run='" + first + "']"));
        assertThat(missed.getText()).contains("MISSED").contains("Flaky scan").contains("startDeadline PT2M");
        // A FAILED alert's message is the worker's error: markup in it shows as text.
        WebElement failed = browser.findElement(By.cssSelector("#alerts li.alert[data-kind='FAILED'][data-run='" + first + "']"));
        assertThat(failed.getText()).contains("FAILED").contains("Flaky scan").contains("attempt 1").contains(DISK_FULL);
        assertThat(failed.findElements(By.tagName("b"))).isEmpty();
        assertThat(failed.findElements(By.tagName("img"))).isEmpty();
        assertThat(browser.executeScript("return window.pwned === undefined")).isEqualTo(true);
        assertThat(browser.findElement(By.id("banner")).isDisplayed()).isFalse();
        screenshot("dashboard-failures.png");

        browser.findElement(By.cssSelector("tr[data-job='" + FLAKY + "'] button.job-name")).click();
        WebElement history = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#detail-body table.history tr[data-run='" + retry + "']")));
        assertThat(history.getText()).contains("TIMED OUT").contains("2").contains(HOSTILE_ERROR);
        assertThat(history.findElements(By.tagName("img"))).isEmpty();
        String facts = browser.findElement(By.id("detail-body")).getText();
        assertThat(facts).contains("RETRY\n3 attempts").contains("RUN TIMEOUT\nPT15M").contains("START DEADLINE\nPT2M")
                .contains("PAUSE ON FAILURE\nafter 3").contains("thumbs completed").contains("NOTIFY\n1 webhook");
        screenshot("dashboard-failures-detail.png");
        browser.findElement(By.id("detail-close")).click();
    }

    @Test
    @Order(3)
    void showsABannerWhileChangeCaptureIsDown() throws IOException {
        browser.get(harness.url("/"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#jobs tbody tr")));
        assertThat(browser.findElement(By.id("pipeline-banner")).isDisplayed()).isFalse();

        harness.pipeline = new PipelineStatus("mongo-scheduled-jobs", PipelineStatus.FAILED, 95L);
        WebElement banner = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pipeline-banner")));
        assertThat(banner.getText()).contains("Change capture is down").contains("mongo-scheduled-jobs is FAILED")
                .contains("restarts it automatically").contains("2 min ago");
        assertThat(browser.findElements(By.cssSelector("#jobs tbody tr"))).as("reads keep working").isNotEmpty();
        screenshot("dashboard-pipeline-down.png");

        harness.pipeline = new PipelineStatus("mongo-scheduled-jobs", PipelineStatus.RUNNING, 0L);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pipeline-banner")));
        harness.pipeline = PipelineStatus.UNWATCHED;
    }

    /** The one due event the ticker emitted for {@code runId} since the last read. */
    private DueEvent dueOf(String runId) {
        List<DueEvent> fired = harness.dueEvents().stream().filter(due -> due.runId().equals(runId)).toList();
        assertThat(fired).as("due events for " + runId).hasSize(1);
        return fired.get(0);
    }

    /** A worker's event for a run of the flaky job, at the driver's clock. */
    private void worker(String runId, String fields) {
        harness.progress(runId, "{\"runId\": \"%s\", \"jobId\": \"%s\", \"jobType\": \"LibraryScan\", %s, \"at\": \"%s\"}"
                .formatted(runId, FLAKY, fields, harness.now()));
    }

    private static String json(String text) throws IOException {
        return new ObjectMapper().writeValueAsString(text);
    }

    private void screenshot(String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, browser.getScreenshotAs(OutputType.BYTES));
    }
}
