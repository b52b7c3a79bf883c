package io.cronstream.workers.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.schemas.ChangeType;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunControl;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.Topics;
import io.cronstream.schemas.Trigger;
import io.cronstream.workers.testing.TopicReader;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan worker against a real broker: due events in, stage progress and file changes out. */
class ScanWorkerTest {

    private static final Topics TOPICS = Topics.defaults();
    private static final JsonCodec<DueEvent> DUE = JsonCodec.of(DueEvent.class);
    private static final JsonCodec<RunControl> CONTROL = JsonCodec.of(RunControl.class);
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    static Path kafkaDir;
    @TempDir
    static Path output;
    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, byte[]> ticker;
    private static ScanWorker worker;
    private static TopicReader<StageProgressEvent> progress;
    private static TopicReader<FileChangeEvent> fileChanges;

    @TempDir
    Path library;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(0, kafkaDir, true);
        kafka.createTopics(List.of(TOPICS.jobDue(), TOPICS.stageProgress(), TOPICS.fileChanges(), TOPICS.runControl()).stream()
                .map(name -> new NewTopic(name, 1, (short) 1)).toList());
        // due events are written the way the ticker writes them: in transactions
        ticker = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-ticker"), new StringSerializer(), new ByteArraySerializer());
        ticker.initTransactions();
        worker = ScanWorker.start(WorkerSettings.of(kafka.bootstrapServers(), output, "test-scan-worker")
                .withOffsetReset("earliest"), events -> new SteppedRunEvents(events));
        progress = new TopicReader<>(kafka.bootstrapServers(), TOPICS.stageProgress(), JsonCodec.of(StageProgressEvent.class));
        fileChanges = new TopicReader<>(kafka.bootstrapServers(), TOPICS.fileChanges(), JsonCodec.of(FileChangeEvent.class));
    }

    @AfterAll
    static void stop() throws Exception {
        worker.close();
        progress.close();
        fileChanges.close();
        ticker.close();
        kafka.close();
    }

    @Test
    void theFirstScanBuildsEveryFileAndALaterScanOnlyWhatChanged() throws Exception {
        for (int i = 0; i < 6; i++) {
            TestImages.write(library.resolve("2026/large-" + i + ".jpg"), 600, 400, i);
            TestImages.write(library.resolve("small-" + i + ".png"), 40, 30, 10 + i);
        }
        Files.writeString(library.resolve("broken.jpg"), "not an image at all");
        Files.writeString(library.resolve("readme.txt"), "not in the library");

        DueEvent first = fire("photo-scan", "photos", T);
        RunFold firstRun = awaitEnd(first);

        assertThat(firstRun.end()).isEqualTo(ProgressKind.RUN_COMPLETED);
        assertThat(firstRun.stages()).containsExactly(
                entry(Stages.SCAN, new RunFold.Stage(13, 13, 0, true)),
                entry(Stages.THUMBNAIL, new RunFold.Stage(13, 12, 1, true)),
                entry(Stages.CACHE, new RunFold.Stage(13, 13, 0, true)),
                entry(Stages.CLEANUP, new RunFold.Stage(0, 0, 0, true)));
        assertThat(changesOf(first)).hasSize(13).allSatisfy(change -> assertThat(change.change()).isEqualTo(ChangeType.ADDED));
        // seed 001's Processed: one report, covering every change the scan published
        assertThat(reportsOf(first)).singleElement().satisfies(report -> assertThat(report.processedUpTo())
                .isEqualTo(changesOf(first).get(0).detectedAt()));
        assertThat(progressOf(first)).filteredOn(event -> event.stage() != null && event.stage().equals(Stages.THUMBNAIL))
                .filteredOn(event -> event.failed() != null).singleElement()
                .satisfies(failure -> assertThat(failure.message()).contains("/broken.jpg"));
        BufferedImage large = ImageIO.read(thumbnail("photos", "/2026/large-0.jpg").toFile());
        assertThat(large.getWidth()).isEqualTo(256);
        assertThat(large.getHeight()).isEqualTo(171);
        assertThat(ImageIO.read(thumbnail("photos", "/small-0.png").toFile()).getWidth()).isEqualTo(40);
        assertThat(Files.mismatch(cached("photos", "/2026/large-3.jpg"), library.resolve("2026/large-3.jpg"))).isEqualTo(-1);

        // the untouched file's thumbnail is marked, to see that the second scan leaves it alone
        FileTime marked = FileTime.from(T);
        Files.setLastModifiedTime(thumbnail("photos", "/small-5.png"), marked);
        TestImages.write(library.resolve("2026/large-0.jpg"), 600, 400, 100);
        TestImages.write(library.resolve("small-1.png"), 40, 30, 101);
        TestImages.write(library.resolve("new.png"), 50, 50, 102);
        Files.delete(library.resolve("small-2.png"));
        Files.delete(library.resolve("broken.jpg"));
        Files.move(library.resolve("2026/large-4.jpg"), library.resolve("2026/beach.jpg"));

        DueEvent second = fire("photo-scan", "photos", T.plusSeconds(3600));
        RunFold secondRun = awaitEnd(second);

        assertThat(secondRun.end()).isEqualTo(ProgressKind.RUN_COMPLETED);
        assertThat(changesOf(second)).extracting(FileChangeEvent::change, FileChangeEvent::path, FileChangeEvent::oldPath)
                .containsExactly(
                        tuple(ChangeType.RENAMED, "/2026/beach.jpg", "/2026/large-4.jpg"),
                        tuple(ChangeType.MODIFIED, "/2026/large-0.jpg", null),
                        tuple(ChangeType.DELETED, "/broken.jpg", null),
                        tuple(ChangeType.ADDED, "/new.png", null),
                        tuple(ChangeType.MODIFIED, "/small-1.png", null),
                        tuple(ChangeType.DELETED, "/small-2.png", null));
        assertThat(secondRun.stages()).containsEntry(Stages.SCAN, new RunFold.Stage(12, 12, 0, true))
                .containsEntry(Stages.THUMBNAIL, new RunFold.Stage(4, 4, 0, true))
                .containsEntry(Stages.CACHE, new RunFold.Stage(4, 4, 0, true))
                .containsEntry(Stages.CLEANUP, new RunFold.Stage(3, 3, 0, true));
        assertThat(Files.getLastModifiedTime(thumbnail("photos", "/small-5.png"))).isEqualTo(marked);
        assertThat(thumbnail("photos", "/small-2.png")).doesNotExist();
        assertThat(cached("photos", "/small-2.png")).doesNotExist();
        assertThat(thumbnail("photos", "/2026/large-4.jpg")).doesNotExist();
        assertThat(cached("photos", "/2026/large-4.jpg")).doesNotExist();
        assertThat(thumbnail("photos", "/2026/beach.jpg")).exists();
        assertThat(thumbnail("photos", "/new.png")).exists();
        assertThat(Files.mismatch(cached("photos", "/small-1.png"), library.resolve("small-1.png"))).isEqualTo(-1);
    }

    @Test
    void otherJobTypesAreLeftAloneAndAMissingFolderFailsTheRunWithTheReason() throws Exception {
        DueEvent email = send(new DueEvent("mail-digest", DueEvent.runIdFor("mail-digest", T), "digest", "SendEmail",
                JsonNodeFactory.instance.objectNode(), T, T, Trigger.SCHEDULE, "UTC", null, null, null, null));
        Path missing = library.resolve("not-there");
        DueEvent scan = send(new DueEvent("lost-scan", DueEvent.runIdFor("lost-scan", T), "lost", "LibraryScan",
                JsonNodeFactory.instance.objectNode().put("libraryId", "lost").put("path", missing.toString()),
                T, T, Trigger.MANUAL, "UTC", "alice", null, null, null));

        RunFold run = awaitEnd(scan);

        assertThat(run.end()).isEqualTo(ProgressKind.RUN_FAILED);
        assertThat(run.endMessage()).contains(missing.toString());
        // one partition, one due event at a time: the e-mail job was consumed before the scan ended
        assertThat(progressOf(email)).isEmpty();
    }

    @Test
    void aCancelOnRunControlStopsTheRunItNamesAndRunFailedCarriesTheError() throws Exception {
        for (int i = 0; i < 4; i++) {
            TestImages.write(library.resolve("photo-" + i + ".png"), 60, 40, i);
        }
        String runId = DueEvent.runIdFor("cancelled-scan", T);
        AtomicBoolean cancelSent = new AtomicBoolean();
        // while the run reports its first thumbnail, the CANCEL goes through the broker; the run goes on only
        // once this worker has read it, so it is deterministic which item the run stops after
        onProgress = event -> {
            if (event.runId().equals(runId) && event.kind() == ProgressKind.PROGRESS
                    && Stages.THUMBNAIL.equals(event.stage()) && cancelSent.compareAndSet(false, true)) {
                sendCancel(RunControl.cancel(runId, "cancelled-scan", "timed out after PT15M", Instant.now()));
                await().atMost(Duration.ofSeconds(30)).until(() -> worker.cancels().reasonFor(runId).isPresent());
            }
        };
        // a CANCEL for a run this worker is not working on changes nothing
        sendCancel(RunControl.cancel(DueEvent.runIdFor("other-scan", T), "other-scan", "operator", T));
        try {
            DueEvent due = fire("cancelled-scan", "cancelled", T);
            RunFold run = awaitEnd(due);

            assertThat(run.end()).isEqualTo(ProgressKind.RUN_FAILED);
            assertThat(run.endMessage()).isEqualTo("cancelled: timed out after PT15M");
            assertThat(progressOf(due)).filteredOn(event -> event.kind() == ProgressKind.RUN_FAILED).singleElement()
                    .satisfies(failed -> assertThat(failed.error()).isEqualTo("cancelled: timed out after PT15M"));
            assertThat(progressOf(due)).filteredOn(event -> event.kind() == ProgressKind.PROGRESS
                    && Stages.THUMBNAIL.equals(event.stage())).hasSize(1);
            assertThat(thumbnail("cancelled", "/photo-3.png")).doesNotExist();
        } finally {
            onProgress = event -> { };
        }

        // the worker goes on with the next run, which does the cancelled one's work and says what it did
        DueEvent next = fire("cancelled-scan", "cancelled", T.plusSeconds(60));
        RunFold nextRun = awaitEnd(next);
        assertThat(nextRun.end()).isEqualTo(ProgressKind.RUN_COMPLETED);
        assertThat(progressOf(next)).filteredOn(event -> event.kind() == ProgressKind.RUN_COMPLETED).singleElement()
                .satisfies(completed -> {
                    assertThat(completed.result().get("thumbnailed").asLong()).isEqualTo(4);
                    assertThat(completed.result().get("added").asLong()).isEqualTo(4);
                });
        assertThat(thumbnail("cancelled", "/photo-3.png")).exists();
    }

    @Test
    void aWorkerStartedBeforeTheRunControlTopicExistsHearsCancelsOnceItDoes() throws Exception {
        Topics late = Topics.withPrefix("late.");
        try (ScanWorker early = ScanWorker.start(WorkerSettings.of(kafka.bootstrapServers(), output, "late-worker")
                .withTopics(late))) {
            kafka.createTopics(List.of(new NewTopic(late.runControl(), 1, (short) 1)));
            RunControl cancel = RunControl.cancel("late@1", "late", "operator", Instant.now());
            // sent until heard: the listener starts reading at the topic once it finds it
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                synchronized (ticker) {
                    ticker.beginTransaction();
                    ticker.send(new ProducerRecord<>(late.runControl(), cancel.runId(), CONTROL.write(cancel)));
                    ticker.commitTransaction();
                }
                return early.cancels().reasonFor("late@1").isPresent();
            });
            assertThat(early.cancels().reasonFor("late@1")).contains("operator");
        }
    }

    @Test
    void aDueEventDeliveredTwiceRunsTheScanOnce() throws Exception {
        TestImages.write(library.resolve("a.png"), 30, 30, 1);
        TestImages.write(library.resolve("b.png"), 30, 30, 2);
        DueEvent due = fire("twice", "twice", T);
        send(due);

        await().atMost(Duration.ofSeconds(60)).until(() -> progressOf(due).stream()
                .filter(event -> event.kind() == ProgressKind.RUN_COMPLETED).count() == 2);

        assertThat(changesOf(due)).hasSize(2);
        assertThat(progressOf(due)).filteredOn(event -> event.kind() == ProgressKind.STAGE_STARTED
                && event.stage().equals(Stages.SCAN)).hasSize(1);
        RunFold run = RunFold.of(due.runId(), progressOf(due), changesOf(due));
        assertThat(run.stages().get(Stages.THUMBNAIL)).isEqualTo(new RunFold.Stage(2, 2, 0, true));
    }

    /** Lets a test act while a run reports, on the run's own thread. */
    private static volatile java.util.function.Consumer<StageProgressEvent> onProgress = event -> { };

    private static final class SteppedRunEvents implements RunEvents {

        private final RunEvents delegate;

        SteppedRunEvents(RunEvents delegate) {
            this.delegate = delegate;
        }

        @Override
        public void progress(StageProgressEvent event) {
            delegate.progress(event);
            onProgress.accept(event);
        }

        @Override
        public void fileChanges(List<FileChangeEvent> events) {
            delegate.fileChanges(events);
        }

        @Override
        public void processed(FileChangeEvent report) {
            delegate.processed(report);
        }

        @Override
        public void flush() {
            delegate.flush();
        }
    }

    private static void sendCancel(RunControl cancel) {
        synchronized (ticker) {
            ticker.beginTransaction();
            ticker.send(new ProducerRecord<>(TOPICS.runControl(), cancel.runId(), CONTROL.write(cancel)));
            ticker.commitTransaction();
        }
    }

    private DueEvent fire(String jobId, String libraryId, Instant scheduledFor) {
        return send(new DueEvent(jobId, DueEvent.runIdFor(jobId, scheduledFor), jobId, "LibraryScan",
                JsonNodeFactory.instance.objectNode().put("libraryId", libraryId).put("path", library.toString()),
                scheduledFor, scheduledFor, Trigger.SCHEDULE, "UTC", null, null, null, null));
    }

    private static DueEvent send(DueEvent due) {
        synchronized (ticker) {
            ticker.beginTransaction();
            ticker.send(new ProducerRecord<>(TOPICS.jobDue(), due.jobId(), DUE.write(due)));
            ticker.commitTransaction();
        }
        return due;
    }

    private static RunFold awaitEnd(DueEvent due) {
        await().atMost(Duration.ofSeconds(60)).until(() -> progressOf(due).stream()
                .anyMatch(event -> event.kind() == ProgressKind.RUN_COMPLETED || event.kind() == ProgressKind.RUN_FAILED));
        return RunFold.of(due.runId(), progressOf(due), changesOf(due));
    }

    private static List<StageProgressEvent> progressOf(DueEvent due) {
        return progress.values(record -> record.key().equals(due.runId()));
    }

    private static List<FileChangeEvent> changesOf(DueEvent due) {
        return fileChanges.values(record -> due.runId().equals(record.value().runId())
                && !record.value().processedReport());
    }

    private static List<FileChangeEvent> reportsOf(DueEvent due) {
        return fileChanges.values(record -> due.runId().equals(record.value().runId())
                && record.value().processedReport());
    }

    private static Path thumbnail(String libraryId, String path) {
        return new OutputLayout(output).thumbnail(libraryId, path);
    }

    private static Path cached(String libraryId, String path) {
        return new OutputLayout(output).cached(libraryId, path);
    }
}
