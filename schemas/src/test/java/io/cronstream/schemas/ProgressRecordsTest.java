package io.cronstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The progress-side records accept exactly the examples beside their schemas, and round-trip. */
class ProgressRecordsTest {

    private static final Map<String, Class<?>> RECORDS = Map.of(
            "stage-progress", StageProgressEvent.class,
            "file-change", FileChangeEvent.class,
            "run-snapshot", RunSnapshot.class,
            "stuck-alert", StuckAlert.class);

    @TestFactory
    Stream<DynamicTest> everyExampleIsReadOrRejectedAsItsNameSays() throws IOException {
        List<DynamicTest> tests = new java.util.ArrayList<>();
        for (Map.Entry<String, Class<?>> entry : RECORDS.entrySet()) {
            JsonCodec<?> codec = JsonCodec.of(entry.getValue());
            try (Stream<Path> files = Files.list(Path.of("examples", entry.getKey()))) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    byte[] bytes = Files.readAllBytes(file);
                    tests.add(DynamicTest.dynamicTest(entry.getKey() + "/" + name, () -> {
                        if (name.startsWith("valid-")) {
                            assertThat(codec.read(bytes)).isNotNull();
                        } else {
                            assertThat(name).startsWith("invalid-");
                            assertThatThrownBy(() -> codec.read(bytes)).isInstanceOf(InvalidRecordException.class);
                        }
                    }));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(8);
        return tests.stream();
    }

    @Test
    void rejectionReasonsNameTheProblem() {
        JsonCodec<StageProgressEvent> codec = JsonCodec.of(StageProgressEvent.class);
        assertThat(reason(codec, "{\"runId\":\"r\",\"stage\":\"s\",\"kind\":\"PROGRESS\",\"completed\":12,\"total\":10,"
                + "\"at\":\"2026-01-01T00:00:00Z\"}")).isEqualTo("completed + failed (12) exceeds total (10)");
        assertThat(reason(codec, "{\"runId\":\"r\",\"stage\":\"s\",\"kind\":\"PROGRESS\",\"increment\":-2,"
                + "\"at\":\"2026-01-01T00:00:00Z\"}")).isEqualTo("increment must not be negative, got -2");
        assertThat(reason(codec, "{\"runId\":\"" + "x".repeat(600) + "\",\"kind\":\"HEARTBEAT\","
                + "\"at\":\"2026-01-01T00:00:00Z\"}")).isEqualTo("runId is longer than 512 characters");
        assertThat(reason(codec, "{\"runId\":\"a\\u0000b\",\"kind\":\"HEARTBEAT\",\"at\":\"2026-01-01T00:00:00Z\"}"))
                .isEqualTo("runId contains control characters");
        assertThat(reason(codec, "{\"runId\":\"r\",\"kind\":\"HEARTBEAT\",\"at\":\"yesterday\"}"))
                .startsWith("field 'at': cannot read 'yesterday'");
        assertThat(reason(codec, "{\"runId\":\"r\",\"kind\":\"PROGRESS\",\"stage\":\"s\",\"total\":10000000000000,"
                + "\"at\":\"2026-01-01T00:00:00Z\"}")).startsWith("total is larger than");
        assertThat(reason(codec, "{\"runId\":\"r\",\"kind\":\"HEART")).startsWith("malformed JSON");
    }

    @Test
    void bareProgressCountsOneAndAbsoluteProgressCountsNone() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(new StageProgressEvent("r", null, null, "s", ProgressKind.PROGRESS, null, null, null, null, null, at,
                null).completedIncrement()).isEqualTo(1);
        assertThat(new StageProgressEvent("r", null, null, "s", ProgressKind.PROGRESS, null, 5L, null, null, null, at,
                null).completedIncrement()).isEqualTo(5);
        assertThat(new StageProgressEvent("r", null, null, "s", ProgressKind.PROGRESS, null, null, 7L, null, null, at,
                null).completedIncrement()).isZero();
        assertThat(new StageProgressEvent("r", null, null, "s", ProgressKind.STAGE_STARTED, 10L, null, null, null, null,
                at, null).completedIncrement()).isZero();
    }

    @Test
    void runSnapshotRoundTripsWithDurationsAsIsoTextAndStagesInOrder() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Map<String, StageSnapshot> stages = new LinkedHashMap<>();
        stages.put("thumbnail", new StageSnapshot(StageStatus.RUNNING, 10L, 3, 1, null, t, null));
        stages.put("cache", new StageSnapshot(StageStatus.PENDING, null, 0, 0, null, null, null));
        RunSnapshot run = RunSnapshot.builder("j@1").jobId("j").jobType("scan").status(RunStatus.RUNNING)
                .trigger(Trigger.MANUAL).triggeredBy("alice").scheduledFor(t).createdAt(t).startedAt(t).updatedAt(t)
                .lastActivityAt(t).lastEventAt(t).percent(20.0).itemsPerSecond(1.5).etaSeconds(4L).stages(stages)
                .stuckAfter(Duration.ofMinutes(5)).failAfter(Duration.ofHours(1)).build();
        JsonCodec<RunSnapshot> codec = JsonCodec.of(RunSnapshot.class);
        String json = new String(codec.write(run), StandardCharsets.UTF_8);
        assertThat(json).contains("\"stuckAfter\":\"PT5M\"", "\"failAfter\":\"PT1H\"")
                .doesNotContain("itemsProcessed");
        RunSnapshot back = codec.read(json.getBytes(StandardCharsets.UTF_8));
        assertThat(back).isEqualTo(run);
        assertThat(back.stages().keySet()).containsExactly("thumbnail", "cache");
        assertThat(back.itemsProcessed()).isEqualTo(4);
    }

    @Test
    void jobHistoryShowsItsCountAndReadsItBack() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        RunHistoryItem item = new RunHistoryItem("j@1", RunStatus.COMPLETED, false, Trigger.SCHEDULE, null, t, t, t,
                t.plusSeconds(2), 2000L, 5, 5, 0, null, 1, null, null, null);
        JobHistory history = new JobHistory("j", List.of(item),
                new HistoryStats(1, 1, 0, 1.0, 2000L, t.plusSeconds(2), null));
        JsonCodec<JobHistory> codec = JsonCodec.of(JobHistory.class);
        byte[] json = codec.write(history);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"count\":1");
        assertThat(codec.read(json)).isEqualTo(history);
    }

    @Test
    void aPendingChangeIsNeverARename() {
        assertThatThrownBy(() -> new PendingChange("/a", ChangeType.RENAMED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String reason(JsonCodec<?> codec, String json) {
        try {
            codec.read(json.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidRecordException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + json);
    }
}
