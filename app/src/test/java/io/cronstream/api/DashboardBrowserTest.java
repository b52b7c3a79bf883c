package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cronstream.schemas.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
class DashboardBrowserTest {


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

    private void screenshot(String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, browser.getScreenshotAs(OutputType.BYTES));
    }
}
