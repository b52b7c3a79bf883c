package io.cronstream.workers.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: the scan worker dies at every point where it talks to Kafka (before each event, half-way through its
 * batch of file changes, before each flush), is started again on the same due event, and the run's counts
 * come out exactly as if it had never crashed: every item once, every stage's total the real work.
 */
class ScanCrashTest {

    private static final Instant FIRST = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant SECOND = Instant.parse("2026-01-01T01:00:00Z");

    @TempDir
    Path work;

    private final Heartbeat heartbeat = new Heartbeat(Duration.ofMinutes(1));
    /** One clock for the crashed try and the next, as one machine's. */
    private Clock clock;

    @AfterEach
    void stopHeartbeat() {
        heartbeat.close();
    }

    /** A crash: an Error, so that no catch block of the worker runs, as none runs on a SIGKILL. */
    static final class Crash extends Error {
        Crash() {
            super("crashed", null, false, false);
        }
    }

    /** Delivers what is sent until its {@code calls}-th call, then crashes; everything sent before stays sent. */
    static final class CrashingRunEvents implements RunEvents {

        private final RunEvents delivered;
        private int callsLeft;

        CrashingRunEvents(RunEvents delivered, int calls) {
            this.delivered = delivered;
            this.callsLeft = calls;
        }

        @Override
        public void progress(StageProgressEvent event) {
            tick();
            delivered.progress(event);
        }

        @Override
        public void fileChanges(List<FileChangeEvent> events) {
            for (FileChangeEvent event : events) {
                tick();
                delivered.fileChanges(List.of(event));
            }
        }

        @Override
        public void processed(FileChangeEvent report) {
            tick();
            delivered.processed(report);
        }

        @Override
        public void flush() {
            tick();
        }

        private void tick() {
            if (callsLeft-- == 0) {
                throw new Crash();
            }
        }
    }

    /** A worker's clock moves: a redone scan sees a later time than the crashed one. */
    static final class TickingClock extends Clock {

        private Instant now;

        TickingClock(Instant start) {
            this.now = start;
        }

        @Override
        public Instant instant() {
            now = now.plusMillis(1);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void aScanThatCrashesAtAnyPointAndIsRedoneCountsEveryItemOnce() throws Exception {
        int calls = callsOfACleanRun();
        assertThat(calls).as("a clean second scan talks to Kafka this often").isGreaterThan(20);
        for (int crashAt = 0; crashAt < calls; crashAt++) {
            Path dir = Files.createDirectories(work.resolve("crash-at-" + crashAt));
            clock = new TickingClock(SECOND);
            Path library = libraryAfterFirstScan(dir);
            RecordingRunEvents delivered = new RecordingRunEvents();
            int at = crashAt;
            assertThatThrownBy(() -> job(dir, new CrashingRunEvents(delivered, at)).handle(due(library, SECOND)))
                    .isInstanceOf(Crash.class);

            job(dir, delivered).handle(due(library, SECOND));

            RunFold run = RunFold.of(DueEvent.runIdFor("scan", SECOND), delivered.progress, delivered.fileChanges);
            assertThat(run.end()).as("crash at call %d", crashAt).isEqualTo(ProgressKind.RUN_COMPLETED);
            // the second scan: b.png modified, c.png deleted, d.png added → 2 to build, 1 to clean up
            assertThat(run.stages().get(Stages.THUMBNAIL)).as("crash at call %d", crashAt)
                    .isEqualTo(new RunFold.Stage(2, 2, 0, true));
            assertThat(run.stages().get(Stages.CACHE)).as("crash at call %d", crashAt)
                    .isEqualTo(new RunFold.Stage(2, 2, 0, true));
            assertThat(run.stages().get(Stages.CLEANUP)).as("crash at call %d", crashAt)
                    .isEqualTo(new RunFold.Stage(1, 1, 0, true));
        }
    }

    private int callsOfACleanRun() throws Exception {
        Path dir = Files.createDirectories(work.resolve("clean"));
        clock = new TickingClock(SECOND);
        Path library = libraryAfterFirstScan(dir);
        CrashingRunEvents counting = new CrashingRunEvents(new RecordingRunEvents(), Integer.MAX_VALUE);
        job(dir, counting).handle(due(library, SECOND));
        return Integer.MAX_VALUE - counting.callsLeft;
    }

    /** A library scanned once (a, b, c), then changed: b modified, c deleted, d added. */
    private Path libraryAfterFirstScan(Path dir) throws Exception {
        Path library = dir.resolve("library");
        TestImages.write(library.resolve("a.png"), 80, 60, 1);
        TestImages.write(library.resolve("b.png"), 80, 60, 2);
        TestImages.write(library.resolve("c.png"), 80, 60, 3);
        job(dir, new RecordingRunEvents()).handle(due(library, FIRST));
        TestImages.write(library.resolve("b.png"), 80, 60, 22);
        Files.delete(library.resolve("c.png"));
        TestImages.write(library.resolve("d.png"), 80, 60, 4);
        return library;
    }

    private LibraryScanJob job(Path dir, RunEvents events) {
        OutputLayout layout = new OutputLayout(dir.resolve("output"));
        return new LibraryScanJob(events, layout, new DerivedFiles(layout, new Thumbnails(32)), heartbeat,
                clock);
    }

    private static DueEvent due(Path library, Instant scheduledFor) {
        return new DueEvent("scan", DueEvent.runIdFor("scan", scheduledFor), "scan", "LibraryScan",
                JsonNodeFactory.instance.objectNode().put("libraryId", "lib").put("path", library.toString()),
                scheduledFor, scheduledFor, Trigger.SCHEDULE, "UTC", null, null, null, null);
    }
}
