package io.cronstream.workers.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunControl;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.Trigger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16: a CANCEL on run-control stops the run it names between two items; other runs go on. */
class ScanCancelTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path library;
    @TempDir
    Path output;

    private final MovableClock clock = new MovableClock(T);
    private final Heartbeat heartbeat = new Heartbeat(Duration.ofMinutes(1));
    private final RunCancels cancels = new RunCancels(clock);
    private OutputLayout layout;

    /** Records what a run reports, and lets a test act when a given event passes (as a CANCEL would arrive). */
    static final class SteppingRunEvents extends RecordingRunEvents {

        private Consumer<StageProgressEvent> onProgress = event -> { };

        @Override
        public void progress(StageProgressEvent event) {
            super.progress(event);
            onProgress.accept(event);
        }
    }

    static final class MovableClock extends Clock {

        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
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

    @BeforeEach
    void images() throws Exception {
        layout = new OutputLayout(output);
        for (int i = 0; i < 5; i++) {
            TestImages.write(library.resolve("photo-" + i + ".png"), 60, 40, i);
        }
    }

    @AfterEach
    void stopHeartbeat() {
        heartbeat.close();
    }

    @Test
    void aCancelDuringTheRunStopsItBetweenItemsAndRunFailedCarriesTheReason() throws Exception {
        SteppingRunEvents events = new SteppingRunEvents();
        DueEvent due = due(T);
        // the CANCEL arrives while the first thumbnail is reported, as the topology's TIMED_OUT would send it
        events.onProgress = event -> {
            if (event.kind() == ProgressKind.PROGRESS && Stages.THUMBNAIL.equals(event.stage())) {
                cancels.cancel(RunControl.cancel(due.runId(), due.jobId(), "timed out after PT15M", clock.instant()));
            }
        };

        job(events).handle(due);

        List<StageProgressEvent> reported = events.progress;
        StageProgressEvent end = reported.get(reported.size() - 1);
        assertThat(end.kind()).isEqualTo(ProgressKind.RUN_FAILED);
        assertThat(end.error()).isEqualTo("cancelled: timed out after PT15M");
        assertThat(end.message()).isEqualTo("cancelled: timed out after PT15M");
        assertThat(reported).filteredOn(event -> event.kind() == ProgressKind.PROGRESS
                && Stages.THUMBNAIL.equals(event.stage())).as("stopped after the item in hand").hasSize(1);
        assertThat(reported).noneMatch(event -> Stages.CACHE.equals(event.stage())
                && event.kind() == ProgressKind.PROGRESS);
        assertThat(layout.thumbnail("lib", "/photo-4.png")).doesNotExist();

        // the cancelled run's work is not lost: the next run takes every change over
        RecordingRunEvents next = new RecordingRunEvents();
        DueEvent later = due(T.plusSeconds(3600));
        job(next).handle(later);
        assertThat(RunFold.of(later.runId(), next.progress, next.fileChanges).stages().get(Stages.THUMBNAIL))
                .isEqualTo(new RunFold.Stage(5, 5, 0, true));
    }

    @Test
    void aCancelForAnotherRunIsIgnoredAndACompletedRunReportsWhatItDid() throws Exception {
        cancels.cancel(RunControl.cancel("someone-else@2026-01-01T00:00:00Z", "someone-else", "timed out", T));
        RecordingRunEvents events = new RecordingRunEvents();
        DueEvent due = due(T);

        job(events).handle(due);

        StageProgressEvent end = events.progress.get(events.progress.size() - 1);
        assertThat(end.kind()).isEqualTo(ProgressKind.RUN_COMPLETED);
        assertThat(end.error()).isNull();
        assertThat(end.result()).isNotNull();
        assertThat(end.result().get("files").asLong()).isEqualTo(5);
        assertThat(end.result().get("added").asLong()).isEqualTo(5);
        assertThat(end.result().get("thumbnailed").asLong()).isEqualTo(5);
        assertThat(end.result().get("cached").asLong()).isEqualTo(5);
        assertThat(end.result().get("cleaned").asLong()).isZero();
        assertThat(end.result().get("failed").asLong()).isZero();
    }

    @Test
    void aCancelThatOvertookItsDueEventKeepsTheRunFromStarting() throws Exception {
        DueEvent due = due(T);
        cancels.cancel(RunControl.cancel(due.runId(), due.jobId(), null, T));
        RecordingRunEvents events = new RecordingRunEvents();

        job(events).handle(due);

        assertThat(events.progress).singleElement().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(ProgressKind.RUN_FAILED);
            assertThat(event.error()).isEqualTo("cancelled: no reason given");
        });
        assertThat(events.fileChanges).isEmpty();
        assertThat(layout.thumbnail("lib", "/photo-0.png")).doesNotExist();
    }

    @Test
    void cancelsAreRememberedOnlyForAWhile() throws Exception {
        DueEvent due = due(T);
        cancels.cancel(RunControl.cancel(due.runId(), due.jobId(), "operator", T));
        clock.advance(RunCancels.MEMORY.plusSeconds(1));
        RecordingRunEvents events = new RecordingRunEvents();

        job(events).handle(due);

        assertThat(events.progress.get(events.progress.size() - 1).kind()).isEqualTo(ProgressKind.RUN_COMPLETED);
    }

    private LibraryScanJob job(RecordingRunEvents events) {
        return new LibraryScanJob(events, layout, new DerivedFiles(layout, new Thumbnails(32)), heartbeat, clock,
                cancels);
    }

    private DueEvent due(Instant scheduledFor) {
        return new DueEvent("scan", DueEvent.runIdFor("scan", scheduledFor), "scan", "LibraryScan",
                JsonNodeFactory.instance.objectNode().put("libraryId", "lib").put("path", library.toString()),
                scheduledFor, scheduledFor, Trigger.SCHEDULE, "UTC", null, null, null, null);
    }
}
