package io.cronstream.workers.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cronstream.workers.files.Change;
import io.cronstream.workers.files.ContentHash;
import io.cronstream.workers.files.FileState;
import io.cronstream.workers.files.StateFile;
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
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan's bookkeeping across redeliveries and crashes, with the events recorded in memory. */
class LibraryScanJobTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path library;
    @TempDir
    Path output;

    private final RecordingRunEvents events = new RecordingRunEvents();
    private final Heartbeat heartbeat = new Heartbeat(Duration.ofMinutes(1));
    private OutputLayout layout;
    private LibraryScanJob job;

    @BeforeEach
    void createJob() {
        layout = new OutputLayout(output);
        job = new LibraryScanJob(events, layout, new DerivedFiles(layout, new Thumbnails(64)), heartbeat,
                Clock.fixed(T, ZoneOffset.UTC));
    }

    @AfterEach
    void stopHeartbeat() {
        heartbeat.close();
    }

    @Test
    void aPlanAnOlderWorkerStoredAfterPublishingIsResumedWithoutPublishingAgain() throws Exception {
        TestImages.write(library.resolve("a.png"), 80, 60, 1);
        TestImages.write(library.resolve("b.png"), 80, 60, 2);
        DueEvent due = due(T);
        state().write(ScanState.empty("lib", library.toString()).started(new ScanState.Pending(due.runId(),
                List.of(Change.added("/a.png", file("a.png")), Change.added("/b.png", file("b.png"))),
                new TreeMap<>(Map.of("/a.png", file("a.png"), "/b.png", file("b.png"))), null)));

        job.handle(due);

        assertThat(events.fileChanges).isEmpty();
        assertThat(events.processed).as("an older plan does not say when its listing began: nothing to report")
                .isEmpty();
        RunFold run = RunFold.of(due.runId(), events.progress, List.of());
        assertThat(run.end()).isEqualTo(ProgressKind.RUN_COMPLETED);
        assertThat(run.stages().get(Stages.THUMBNAIL)).isEqualTo(new RunFold.Stage(0, 2, 0, true));
        assertThat(layout.thumbnail("lib", "/a.png")).exists();
        assertThat(state().read().orElseThrow()).satisfies(state -> {
            assertThat(state.lastRunId()).isEqualTo(due.runId());
            assertThat(state.pending()).isNull();
            assertThat(state.files()).containsOnlyKeys("/a.png", "/b.png");
        });
    }

    @Test
    void aDueEventDeliveredAgainAfterItsRunCompletedIsOnlyAcknowledged() throws Exception {
        TestImages.write(library.resolve("a.png"), 80, 60, 1);
        DueEvent due = due(T);
        job.handle(due);
        int reported = events.progress.size();

        job.handle(due);

        assertThat(events.fileChanges).hasSize(1);
        assertThat(events.progress.subList(reported, events.progress.size()))
                .extracting(StageProgressEvent::kind, StageProgressEvent::message)
                .containsExactly(tuple(ProgressKind.RUN_COMPLETED, "already completed"));
    }

    @Test
    void aNewRunTakesOverTheWorkOfARunThatNeverFinishedAndFailsIt() throws Exception {
        TestImages.write(library.resolve("a.png"), 80, 60, 1);
        DueEvent crashed = due(T);
        state().write(ScanState.empty("lib", library.toString()).started(new ScanState.Pending(crashed.runId(),
                List.of(Change.added("/a.png", file("a.png"))), new TreeMap<>(Map.of("/a.png", file("a.png"))), T)));
        DueEvent next = due(T.plusSeconds(3600));

        job.handle(next);

        assertThat(events.progress).filteredOn(event -> event.runId().equals(crashed.runId()))
                .singleElement().satisfies(failed -> {
                    assertThat(failed.kind()).isEqualTo(ProgressKind.RUN_FAILED);
                    assertThat(failed.message()).contains(next.runId());
                });
        assertThat(events.fileChanges).extracting(FileChangeEvent::path, FileChangeEvent::runId)
                .containsExactly(tuple("/a.png", next.runId()));
        assertThat(RunFold.of(next.runId(), events.progress, events.fileChanges).stages().get(Stages.THUMBNAIL))
                .isEqualTo(new RunFold.Stage(1, 1, 0, true));
    }

    @Test
    void aPayloadWithoutALibraryFailsTheRunWithTheReason() throws Exception {
        DueEvent due = new DueEvent("scan", DueEvent.runIdFor("scan", T), "scan", "LibraryScan",
                JsonNodeFactory.instance.objectNode().put("path", library.toString()), T, T, Trigger.SCHEDULE, "UTC", null, null, null, null);

        job.handle(due);

        assertThat(events.progress).extracting(StageProgressEvent::kind).containsExactly(ProgressKind.RUN_FAILED);
        assertThat(events.progress.get(0).message()).contains("libraryId");
        assertThat(events.processed).as("a failed run processed nothing").isEmpty();
    }

    /** Seed 001's Processed: a completed scan drains what was detected up to its listing's start. */
    @Test
    void aCompletedScanReportsItsChangesProcessedUpToTheStartOfItsListing() throws Exception {
        TestImages.write(library.resolve("a.png"), 80, 60, 1);
        DueEvent due = due(T);

        job.handle(due);

        assertThat(events.fileChanges).extracting(FileChangeEvent::path, FileChangeEvent::detectedAt)
                .containsExactly(tuple("/a.png", T));
        assertThat(events.processed).singleElement().satisfies(report -> {
            assertThat(report.processedReport()).isTrue();
            assertThat(report.libraryId()).isEqualTo("lib");
            assertThat(report.runId()).isEqualTo(due.runId());
            assertThat(report.processedUpTo()).isEqualTo(T);
        });
        assertThat(RunFold.of(due.runId(), events.progress, events.fileChanges).end())
                .isEqualTo(ProgressKind.RUN_COMPLETED);
    }

    private DueEvent due(Instant scheduledFor) {
        return new DueEvent("scan", DueEvent.runIdFor("scan", scheduledFor), "scan", "LibraryScan",
                JsonNodeFactory.instance.objectNode().put("libraryId", "lib").put("path", library.toString()),
                scheduledFor, scheduledFor, Trigger.SCHEDULE, "UTC", null, null, null, null);
    }

    private StateFile<ScanState> state() {
        return new StateFile<>(layout.state("lib"), ScanState.class);
    }

    private FileState file(String name) throws Exception {
        Path file = library.resolve(name);
        return new FileState(Files.size(file), Files.getLastModifiedTime(file).toInstant(), ContentHash.sha256(file));
    }
}
