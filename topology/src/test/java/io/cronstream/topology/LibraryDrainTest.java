package io.cronstream.topology;

import static io.cronstream.schemas.ChangeType.ADDED;
import static io.cronstream.schemas.ChangeType.DELETED;
import static io.cronstream.schemas.ChangeType.MODIFIED;
import static io.cronstream.topology.Events.change;
import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.LibraryChangeSet;
import io.cronstream.schemas.PendingChange;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DESIGN §10, seed 001's Processed: a run's processed report drains what was detected up to its instant. */
class LibraryDrainTest {

    private final ProgressDriver driver = new ProgressDriver();
    private final Instant t = ProgressDriver.T0;

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aProcessedReportDrainsWhatWasDetectedUpToItsInstantAndNothingLater() {
        TestOutputTopic<String, byte[]> changelog = driver.changelog(ProgressTopology.LIBRARY_PENDING_STORE);
        driver.fileChange(change("lib", "/a.jpg", ADDED, "scan@1", t));
        driver.fileChange(change("lib", "/b.jpg", MODIFIED, "scan@1", t));
        driver.fileChange(change("lib", "/c.jpg", DELETED, null, t.minusSeconds(60)));
        driver.fileChange(change("lib", "/during-scan.jpg", ADDED, null, t.plusSeconds(5)));
        driver.fileChange(change("lib", "/d.jpg", ADDED, null, t));
        driver.fileChange(change("other", "/x.jpg", ADDED, null, t));
        changelog.readRecordsToList();

        driver.fileChange(FileChangeEvent.processed("lib", "scan@1", t, t.plusSeconds(10)));

        assertThat(driver.library("lib")).isEqualTo(new LibraryChangeSet("lib", 1, 0, 0,
                List.of(new PendingChange("/during-scan.jpg", ADDED)), t.plusSeconds(5), 5));
        assertThat(driver.library("other").pending()).as("another library is untouched").hasSize(1);
        assertThat(changelog.readRecordsToList()).as("tombstones for what was processed")
                .filteredOn(record -> record.value() == null).hasSize(4);
    }

    @Test
    void aPathChangedAgainAfterTheReportsInstantStaysPending() {
        driver.fileChange(change("lib", "/a.jpg", ADDED, "scan@1", t));
        driver.fileChange(change("lib", "/a.jpg", MODIFIED, null, t.plusSeconds(5)));

        driver.fileChange(FileChangeEvent.processed("lib", "scan@1", t, t.plusSeconds(10)));

        assertThat(driver.library("lib").pending()).containsExactly(new PendingChange("/a.jpg", ADDED));
        assertThat(driver.library("lib").added()).isEqualTo(1);

        driver.fileChange(FileChangeEvent.processed("lib", "scan@2", t.plusSeconds(5), t.plusSeconds(20)));
        assertThat(driver.library("lib")).isEqualTo(new LibraryChangeSet("lib", 0, 0, 0, List.of(), t.plusSeconds(5), 2));
    }

    @Test
    void aReportAddsNoWorkToItsRunAndAReportForAnUnknownLibraryIsHarmless() {
        driver.fileChange(FileChangeEvent.processed("new-lib", "scan@1", t, t));
        assertThat(driver.library("new-lib")).isEqualTo(new LibraryChangeSet("new-lib", 0, 0, 0, List.of(), null, 0));
        assertThat(driver.run("scan@1")).isNull();
        assertThat(driver.deadLetters()).isEmpty();
    }
}
