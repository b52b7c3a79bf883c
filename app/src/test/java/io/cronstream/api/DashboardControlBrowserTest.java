package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.cronstream.devstack.EmbeddedMongo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's control plane (issue 15) in headless Chromium, in production mode (every read needs a token),
 * over the composed topology in a TopologyTestDriver and a real MongoDB-wire server: the page writes MongoDB
 * through the API, and the test plays the MongoDB source connector by feeding the written document to the
 * jobs topic ({@link #connectorCarries}). Skipped where Chromium is not installed; screenshots in {@code target/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardControlBrowserTest {

    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private EmbeddedMongo mongo;
    private MongoClient client;
    private MongoCollection<Document> jobs;
    private DriverHarness harness;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws IOException {
        assumeTrue(HeadlessChromium.installed(),
                "headless Chromium is not installed (apt-get install chromium chromium-driver)");
        mongo = EmbeddedMongo.inMemory(0);
        client = MongoClients.create(mongo.connectionString());
        jobs = client.getDatabase("scheduler").getCollection("scheduled_jobs");
        // The driver's clock at the browser's, so the page's relative times agree with the fire times.
        harness = new DriverHarness(Instant.now(),
                JobWriteRoutesTest.settings(ApiSettings.Mode.PRODUCTION, Duration.ofMillis(200)),
                Optional.of(mongo.connectionString()));
        browser = HeadlessChromium.start(1280, 900);
        // The page polls every 2 s and redraws its rows: an element found a moment ago may be gone.
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class).ignoring(ElementNotInteractableException.class);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (harness != null) {
            harness.close();
        }
        if (client != null) {
            client.close();
        }
        if (mongo != null) {
            mongo.close();
        }
    }

    @Test
    void editsACronWithLivePreviewSavesItAndTheNextFireMoves() throws IOException {
        create("{\"_id\": \"digest\", \"name\": \"Daily digest\", \"jobType\": \"mail\", \"cronExpression\": \"0 9 * * *\"}");
        connectorCarries("digest");
        browser.get(harness.url("/"));
        browser.executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        // Production mode: without a token the page says what to do instead of showing empty lists.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("banner"), "needs an API token"));
        assertThat(browser.findElements(By.cssSelector("#jobs tbody tr"))).isEmpty();
        screenshot("dashboard-no-token.png");
        signIn();
        assertThat(nextFireOf("digest")).endsWith("T09:00:00Z");

        click(By.cssSelector("tr[data-job='digest'] button.job-name"));
        click(By.id("edit-cron"));
        WebElement cron = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("cron-input")));
        assertThat(cron.getAttribute("value")).isEqualTo("0 9 * * *");
        cron.clear();
        cron.sendKeys("61 * * * *");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#cron-preview.invalid"),
                "Invalid cron expression '61 * * * *'"));
        assertThat(browser.findElement(By.id("cron-save")).isEnabled()).isFalse();
        cron.clear();
        cron.sendKeys("30 6 * * *");
        WebElement preview = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#cron-preview.valid")));
        wait.until(ExpectedConditions.textToBePresentInElement(preview, "06:30"));
        assertThat(preview.findElements(By.cssSelector(".fires li"))).hasSize(5);
        screenshot("dashboard-cron-preview.png");

        click(By.id("cron-save"));
        WebElement confirm = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("cron-confirm")));
        assertThat(browser.findElement(By.id("cron-old")).getText()).startsWith("0 9 * * *");
        assertThat(browser.findElement(By.id("cron-new")).getText()).startsWith("30 6 * * *");
        assertThat(confirm.getText()).contains("Daily digest");
        screenshot("dashboard-cron-confirm.png");
        click(By.id("cron-confirm-save"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".toast.ok"), "Schedule of Daily digest saved"));

        Document stored = jobs.find(Filters.eq("_id", "digest")).first();
        assertThat(stored.getString("cronExpression")).isEqualTo("30 6 * * *");
        assertThat(stored.get("version", Number.class).longValue()).isEqualTo(2);
        assertThat(nextFireOf("digest")).as("the ticker has not seen the write yet").endsWith("T09:00:00Z");
        connectorCarries("digest");
        wait.until(d -> nextFireOf("digest").endsWith("T06:30:00Z"));
        // The detail view still open under the editor shows the change trail of the edit.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#detail-body table.changes"),
                "cronExpression: 0 9 * * * → 30 6 * * *"));
        screenshot("dashboard-detail.png");
        click(By.id("detail-close"));
    }

    @Test
    void disablesAndReEnablesAJobThroughTheToggleAndItsConfirmation() throws IOException {
        create("{\"_id\": \"toggled\", \"name\": \"Toggled job\", \"cronExpression\": \"*/5 * * * *\", \"isEnabled\": true}");
        connectorCarries("toggled");
        browser.get(harness.url("/"));
        signIn();
        WebElement toggle = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-job='toggled'][data-version='1'] .toggle")));
        assertThat(toggle.getAttribute("aria-checked")).isEqualTo("true");

        click(By.cssSelector("tr[data-job='toggled'] .toggle"));
        WebElement title = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-title")));
        assertThat(title.getText()).isEqualTo("Disable Toggled job?");
        screenshot("dashboard-toggle-confirm.png");
        click(By.id("confirm-ok"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm-dialog")));
        assertThat(jobs.find(Filters.eq("_id", "toggled")).first().getBoolean("isEnabled")).isFalse();
        connectorCarries("toggled");
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("tr[data-job='toggled'] .toggle"), "aria-checked", "false"));
        assertThat(browser.findElement(By.cssSelector("tr[data-job='toggled']")).getText()).contains("disabled");

        // Someone else changes the job meanwhile: the page's write carries the version it showed and is refused.
        Http.Response elsewhere = Http.request("PATCH", harness.url("/api/v1/jobs/toggled"),
                "{\"description\": \"changed elsewhere\"}", "Authorization", JobWriteRoutesTest.ADMIN);
        assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(200);
        click(By.cssSelector("tr[data-job='toggled'] .toggle"));
        click(By.id("confirm-ok"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("confirm-error"), "changed meanwhile, reload"));
        assertThat(jobs.find(Filters.eq("_id", "toggled")).first().getBoolean("isEnabled")).isFalse();
        screenshot("dashboard-stale.png");
        click(By.id("confirm-cancel"));

        connectorCarries("toggled");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-job='toggled'][data-version='3']")));
        click(By.cssSelector("tr[data-job='toggled'] .toggle"));
        wait.until(ExpectedConditions.textToBe(By.id("confirm-title"), "Enable Toggled job?"));
        click(By.id("confirm-ok"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm-dialog")));
        Document stored = jobs.find(Filters.eq("_id", "toggled")).first();
        assertThat(stored.getBoolean("isEnabled")).isTrue();
        assertThat(stored.get("version", Number.class).longValue()).isEqualTo(4);
        connectorCarries("toggled");
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("tr[data-job='toggled'] .toggle"), "aria-checked", "true"));
        assertThat(browser.findElement(By.cssSelector("tr[data-job='toggled']")).getText()).doesNotContain("disabled");
    }

    @Test
    void createsAJobFromTheFormAndPausesItWithANoteAndAnEnd() throws IOException {
        browser.get(harness.url("/"));
        signIn();
        click(By.id("new-job"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-id"))).sendKeys("weekly-export");
        browser.findElement(By.id("create-name")).sendKeys("Weekly export");
        browser.findElement(By.id("create-type")).sendKeys("export");
        browser.findElement(By.id("create-cron")).sendKeys("0 3 * * SUN");
        browser.findElement(By.id("create-zone")).sendKeys("Europe/Berlin");
        browser.findElement(By.id("create-payload")).sendKeys("{\"bucket\": \"exports\"}");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#create-preview.valid"), "03:00+01:00"));
        screenshot("dashboard-create.png");
        click(By.id("create-submit"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("create-dialog")));
        Document created = jobs.find(Filters.eq("_id", "weekly-export")).first();
        assertThat(created.getString("cronExpression")).isEqualTo("0 3 * * SUN");
        assertThat(created.getString("timeZone")).isEqualTo("Europe/Berlin");
        assertThat(created.getBoolean("enabled")).as("unticked: created disabled").isFalse();
        assertThat(created.get("payload", Document.class).getString("bucket")).isEqualTo("exports");
        connectorCarries("weekly-export");

        click(By.cssSelector("tr[data-job='weekly-export'] button.job-name"));
        click(By.id("pause-job"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pause-note"))).sendKeys("vendor outage");
        // A datetime-local field takes its digits in the browser's locale order; set it as the page's code would read it.
        browser.executeScript("document.getElementById('pause-until').value = '2031-01-02T03:04'");
        click(By.id("pause-submit"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pause-dialog")));
        Document paused = jobs.find(Filters.eq("_id", "weekly-export")).first();
        assertThat(paused.getString("pauseNote")).isEqualTo("vendor outage");
        assertThat(paused.getString("pausedBy")).isEqualTo("api-token");
        assertThat(paused.getDate("pausedUntil")).isNotNull();
        connectorCarries("weekly-export");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#detail-body .pause-note"),
                "Paused by api-token: vendor outage"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-job='weekly-export']"), "paused"));
        screenshot("dashboard-paused.png");
        click(By.id("detail-close"));
    }

    private void create(String json) {
        Http.Response created = Http.request("POST", harness.url("/api/v1/jobs"), json, "Authorization", JobWriteRoutesTest.ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    /**
     * What the MongoDB source connector does with every write: the stored document, as JSON, into the jobs topic
     * under its id. Done by hand because this harness has no Connect; the real path is WriteThroughConnectorTest's.
     */
    private void connectorCarries(String jobId) {
        Document stored = jobs.find(Filters.eq("_id", jobId)).first();
        harness.putJob(jobId, stored.toJson(RELAXED));
    }

    private void signIn() {
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-field")));
        field.sendKeys(DriverHarness.TOKEN);
        click(By.id("token-use"));
        wait.until(ExpectedConditions.textToBe(By.id("token-state"), "token set"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("banner")));
    }

    private String nextFireOf(String jobId) {
        return wait.until(d -> d.findElement(By.cssSelector("tr[data-job='" + jobId + "'] td:nth-child(3) .when"))
                .getAttribute("title"));
    }

    private void click(By by) {
        wait.until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    private void screenshot(String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, browser.getScreenshotAs(OutputType.BYTES));
    }
}
