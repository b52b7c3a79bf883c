package io.cronstream.topology;

import static io.cronstream.schemas.ChangeType.ADDED;
import static io.cronstream.schemas.ChangeType.DELETED;
import static io.cronstream.schemas.ChangeType.MODIFIED;
import static io.cronstream.topology.Events.change;
import static io.cronstream.topology.Events.increment;
import static io.cronstream.topology.Events.renamed;
import static io.cronstream.topology.Events.stageStarted;
import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.LibraryChangeSet;
import io.cronstream.schemas.PendingChange;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.StageSnapshot;
import io.cronstream.schemas.StageStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LibraryChangesTest {

    private final ProgressDriver driver = new ProgressDriver();
    private final Instant t = ProgressDriver.T0;

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void addedThenModifiedIsAdded() {
        driver.fileChange(change("lib", "/a.jpg", ADDED, null, t));
        driver.fileChange(change("lib", "/a.jpg", MODIFIED, null, t.plusSeconds(1)));
        assertThat(driver.library("lib")).isEqualTo(new LibraryChangeSet("lib", 1, 0, 0,
                List.of(new PendingChange("/a.jpg", ADDED)), t.plusSeconds(1), 2));
    }

    @Test
    void addedThenDeletedIsNothing() {
        driver.fileChange(change("lib", "/a.jpg", ADDED, null, t));
        driver.fileChange(change("lib", "/a.jpg", DELETED, null, t.plusSeconds(1)));
        assertThat(driver.library("lib")).isEqualTo(new LibraryChangeSet("lib", 0, 0, 0, List.of(), t.plusSeconds(1), 2));
    }

    @Test
    void deletedThenAddedIsModified() {
        driver.fileChange(change("lib", "/a.jpg", DELETED, null, t));
        driver.fileChange(change("lib", "/a.jpg", ADDED, null, t.plusSeconds(1)));
        assertThat(driver.library("lib")).isEqualTo(new LibraryChangeSet("lib", 0, 1, 0,
                List.of(new PendingChange("/a.jpg", MODIFIED)), t.plusSeconds(1), 2));
    }

    @Test
    void modifiedThenDeletedIsDeleted() {
        driver.fileChange(change("lib", "/a.jpg", MODIFIED, null, t));
        driver.fileChange(change("lib", "/a.jpg", DELETED, null, t.plusSeconds(1)));
        assertThat(driver.library("lib").pending()).containsExactly(new PendingChange("/a.jpg", DELETED));
        assertThat(driver.library("lib").deleted()).isEqualTo(1);
        assertThat(driver.library("lib").modified()).isZero();
    }

    @Test
    void aRenameIsADeleteOfTheOldPathAndAnAddOfTheNewOne() {
        driver.fileChange(renamed("lib", "/old.jpg", "/new.jpg", null, t));
        assertThat(driver.library("lib")).isEqualTo(new LibraryChangeSet("lib", 1, 0, 1,
                List.of(new PendingChange("/new.jpg", ADDED), new PendingChange("/old.jpg", DELETED)), t, 1));
    }

    @Test
    void renamingAFileThatWasJustAddedLeavesOnlyTheNewPath() {
        driver.fileChange(change("lib", "/tmp.jpg", ADDED, null, t));
        driver.fileChange(renamed("lib", "/tmp.jpg", "/final.jpg", null, t.plusSeconds(1)));
        assertThat(driver.library("lib").pending()).containsExactly(new PendingChange("/final.jpg", ADDED));
        assertThat(driver.library("lib").added()).isEqualTo(1);
        assertThat(driver.library("lib").deleted()).isZero();
    }

    @Test
    void librariesAreSeparateAndTheLastChangeTimeIsTheLatestDetected() {
        driver.fileChange(change("lib-1", "/a.jpg", ADDED, null, t.plusSeconds(10)));
        driver.fileChange(change("lib-1", "/b.jpg", MODIFIED, null, t.plusSeconds(5)));
        driver.fileChange(change("lib-2", "/a.jpg", DELETED, null, t));

        LibraryChangeSet one = driver.library("lib-1");
        assertThat(one.pending()).extracting(PendingChange::path).containsExactly("/a.jpg", "/b.jpg");
        assertThat(one.lastChangeAt()).isEqualTo(t.plusSeconds(10));
        assertThat(one.changeCount()).isEqualTo(2);
        assertThat(driver.library("lib-2").pending()).containsExactly(new PendingChange("/a.jpg", DELETED));
        assertThat(driver.library("lib-3")).isNull();
    }

    /** Seed 001's incremental rebuild: changes that name a run add work to its stages. */
    @Test
    void fileChangesThatNameARunAddWorkToIt() {
        driver.progress(List.of(Events.runStarted("rebuild", t), stageStarted("rebuild", "scan", 1, t)));
        driver.fileChange(change("lib", "/a.jpg", ADDED, "rebuild", t));
        driver.fileChange(change("lib", "/b.jpg", MODIFIED, "rebuild", t));
        driver.fileChange(change("lib", "/c.jpg", DELETED, "rebuild", t));
        driver.fileChange(renamed("lib", "/d.jpg", "/e.jpg", "rebuild", t));
        driver.fileChange(change("lib", "/f.jpg", ADDED, null, t));

        RunSnapshot run = driver.run("rebuild");
        assertThat(run.stages().keySet()).containsExactly("scan", "thumbnail", "cache", "cleanup");
        assertThat(run.stages().get("thumbnail")).isEqualTo(new StageSnapshot(StageStatus.PENDING, 3L, 0, 0, null, null, null));
        assertThat(run.stages().get("cache").total()).isEqualTo(3);
        assertThat(run.stages().get("cleanup").total()).isEqualTo(2);

        driver.progress(List.of(increment("rebuild", "scan", t), increment("rebuild", "thumbnail", 3, t),
                increment("rebuild", "cache", 3, t)));
        assertThat(driver.run("rebuild").status()).as("cleanup still open").isEqualTo(RunStatus.RUNNING);
        driver.progress(increment("rebuild", "cleanup", 2, t));
        assertThat(driver.run("rebuild").status()).isEqualTo(RunStatus.COMPLETED);
    }

    /** Issue 13: a file change delivered again (a producer's retry, a worker redoing its scan) adds no work. */
    @Test
    void aRedeliveredFileChangeAddsItsWorkOnce() {
        driver.progress(Events.runStarted("rebuild", t));
        FileChangeEvent added = change("lib", "/a.jpg", ADDED, "rebuild", t);
        FileChangeEvent deleted = change("lib", "/c.jpg", DELETED, "rebuild", t);
        for (int delivery = 0; delivery < 3; delivery++) {
            driver.fileChange(added);
            driver.fileChange(deleted);
        }
        FileChangeEvent later = change("lib", "/a.jpg", MODIFIED, "rebuild", t.plusSeconds(1));
        driver.fileChange(later);
        driver.fileChange(later);
        driver.fileChange(withEventId(change("lib", "/b.jpg", ADDED, "rebuild", t), "b-once"));
        driver.fileChange(withEventId(change("lib", "/b.jpg", ADDED, "rebuild", t.plusSeconds(5)), "b-once"));

        RunSnapshot run = driver.run("rebuild");
        assertThat(run.stages().get("thumbnail").total()).as("/a.jpg added, then modified; /b.jpg once").isEqualTo(3);
        assertThat(run.stages().get("cache").total()).isEqualTo(3);
        assertThat(run.stages().get("cleanup").total()).isEqualTo(1);
    }

    @Test
    void moreWorkReopensACompletedStage() {
        driver.progress(List.of(stageStarted("rebuild", "thumbnail", 1, t), stageStarted("rebuild", "cache", 5, t),
                increment("rebuild", "thumbnail", t)));
        assertThat(driver.run("rebuild").stages().get("thumbnail").status()).isEqualTo(StageStatus.COMPLETED);

        driver.fileChange(change("lib", "/late.jpg", ADDED, "rebuild", t));

        StageSnapshot thumbnail = driver.run("rebuild").stages().get("thumbnail");
        assertThat(thumbnail.status()).isEqualTo(StageStatus.RUNNING);
        assertThat(thumbnail.total()).isEqualTo(2);
        assertThat(thumbnail.completedAt()).isNull();
    }

    /** Issue 23: a change naming a run nobody started makes no run (it would be PENDING for good). */
    @Test
    void workForAnUnknownRunStartsNoRun() {
        driver.fileChange(change("lib", "/a.jpg", ADDED, "nobody-runs-this", t));
        assertThat(driver.run("nobody-runs-this")).isNull();
        assertThat(driver.statuses()).isEmpty();
        assertThat(driver.library("lib").added()).as("the library still records the change").isEqualTo(1);

        driver.progress(Events.runStarted("nobody-runs-this", t.plusSeconds(1)));
        driver.fileChange(change("lib", "/b.jpg", ADDED, "nobody-runs-this", t.plusSeconds(2)));
        assertThat(driver.run("nobody-runs-this").stages().get("thumbnail").total())
                .as("once the run is known, its work counts").isEqualTo(1);
    }

    /**
     * Issue 23: a watcher whose clock runs ahead: a change dated far after Cronstream's clock is dead-lettered with
     * the reason instead of pinning the library's lastChangeAt; a little ahead (clock drift) is taken.
     */
    @Test
    void aChangeDatedFarAheadIsRefusedAndDoesNotPinTheLastChange() {
        driver.fileChange(change("lib", "/a.jpg", ADDED, null, t));
        driver.fileChange(change("lib", "/b.jpg", ADDED, null, Instant.parse("2099-06-01T00:00:00Z")));
        driver.fileChange(FileChangeEvent.processed("lib", null, Instant.parse("2099-06-01T00:00:00Z"), t));
        List<TestRecord<byte[], byte[]>> dead = driver.deadLetters();
        assertThat(dead).extracting(LibraryChangesTest::reason).satisfiesExactly(
                reason -> assertThat(reason).startsWith("detectedAt 2099-06-01T00:00:00Z is more than PT1H after "
                        + "Cronstream's clock"),
                reason -> assertThat(reason).startsWith("processedUpTo 2099-06-01T00:00:00Z is more than PT1H"));
        assertThat(driver.library("lib").lastChangeAt()).isEqualTo(t);
        assertThat(driver.library("lib").added()).isEqualTo(1);

        driver.fileChange(change("lib", "/c.jpg", ADDED, null, t.plusSeconds(50 * 60)));
        assertThat(driver.library("lib").lastChangeAt()).as("within the drift allowed").isEqualTo(t.plusSeconds(3000));
        assertThat(driver.deadLetters()).isEmpty();
    }

    @Test
    void workForAFinishedRunIsNotAdded() {
        driver.progress(List.of(stageStarted("done", "scan", 1, t), increment("done", "scan", t)));
        assertThat(driver.run("done").status()).isEqualTo(RunStatus.COMPLETED);
        driver.fileChange(change("lib", "/a.jpg", ADDED, "done", t));
        assertThat(driver.run("done").stages()).containsOnlyKeys("scan");
        assertThat(driver.library("lib").added()).as("the library still records the change").isEqualTo(1);
    }

    @Test
    void aFileChangeKeyedByAnythingButItsLibraryGoesToTheDlq() {
        byte[] value = io.cronstream.schemas.JsonCodec.of(io.cronstream.schemas.FileChangeEvent.class)
                .write(change("lib", "/a.jpg", ADDED, null, t));
        driver.raw(driver.topics.fileChanges(), "other".getBytes(StandardCharsets.UTF_8), value);
        driver.raw(driver.topics.fileChanges(), null, value);

        List<TestRecord<byte[], byte[]>> dead = driver.deadLetters();
        assertThat(dead).hasSize(2);
        assertThat(reason(dead.get(0))).isEqualTo("record key 'other' is not the libraryId: key file changes by libraryId 'lib'");
        assertThat(reason(dead.get(1))).startsWith("record key is missing");
        assertThat(dead.get(0).value()).isEqualTo(value);
        assertThat(driver.library("lib")).isNull();
    }

    private static String reason(TestRecord<byte[], byte[]> record) {
        return new String(record.headers().lastHeader(DeadLetter.ERROR).value(), StandardCharsets.UTF_8);
    }

    private static FileChangeEvent withEventId(FileChangeEvent e, String eventId) {
        return new FileChangeEvent(e.libraryId(), e.path(), e.change(), e.oldPath(), e.collectionId(), e.runId(),
                e.size(), e.hash(), e.detectedAt(), eventId, e.processedUpTo());
    }
}
