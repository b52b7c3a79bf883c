package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.ChangeType;
import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.LibraryChangeSet;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.Trigger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad records on every input topic land in the DLQ with a reason and leave every valid run and library alone. */
class PoisonPillTest {

    private static final String RUN = "r-valid";
    private static final String AT = "\"at\":\"2026-03-01T10:00:00Z\"";

    private final ProgressDriver driver = new ProgressDriver();
    private RunSnapshot validRun;
    private RunSnapshot dueRun;
    private LibraryChangeSet validLibrary;
    private String dueRunId;

    @BeforeEach
    void validState() {
        DueEvent due = Events.due("job-a", ProgressDriver.T0, Trigger.SCHEDULE, null);
        dueRunId = due.runId();
        driver.due(due);
        driver.progress(List.of(Events.runStarted(RUN, driver.now()), Events.stageStarted(RUN, "scan", 10, driver.now()),
                Events.increment(RUN, "scan", 4, driver.now())));
        driver.fileChange(Events.change("lib", "/a.jpg", ChangeType.ADDED, null, driver.now()));
        validRun = driver.run(RUN);
        dueRun = driver.run(dueRunId);
        validLibrary = driver.library("lib");
        driver.statuses();
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void everyPoisonPillLandsInTheDlqWithAReasonAndNothingElseChanges() {
        Map<String, List<byte[]>> corpus = new LinkedHashMap<>();
        corpus.put(driver.topics.stageProgress(), stageProgressCorpus());
        corpus.put(driver.topics.jobDue(), jobDueCorpus());
        corpus.put(driver.topics.fileChanges(), fileChangeCorpus());

        List<String> sentFrom = new ArrayList<>();
        corpus.forEach((topic, values) -> values.forEach(value -> {
            byte[] key = topic.equals(driver.topics.fileChanges()) ? utf8("lib") : utf8(RUN);
            driver.raw(topic, key, value);
            sentFrom.add(topic);
        }));
        // keyed by another library: valid JSON, wrong partitioning
        driver.raw(driver.topics.fileChanges(), utf8("other-lib"),
                utf8("{\"libraryId\":\"lib\",\"path\":\"/b.jpg\",\"change\":\"ADDED\",\"detectedAt\":\"2026-03-01T10:00:00Z\"}"));
        sentFrom.add(driver.topics.fileChanges());

        List<TestRecord<byte[], byte[]>> dead = driver.deadLetters();
        assertThat(dead).hasSize(sentFrom.size());
        for (int i = 0; i < dead.size(); i++) {
            TestRecord<byte[], byte[]> letter = dead.get(i);
            assertThat(header(letter, DeadLetter.ERROR)).as("reason of dead letter %d", i).isNotBlank();
            assertThat(header(letter, DeadLetter.SOURCE_TOPIC)).as("source of dead letter %d", i).isEqualTo(sentFrom.get(i));
            assertThat(Long.parseLong(header(letter, DeadLetter.SOURCE_OFFSET))).isNotNegative();
        }
        assertThat(driver.run(RUN)).isEqualTo(validRun);
        assertThat(driver.run(dueRunId)).isEqualTo(dueRun);
        assertThat(driver.library("lib")).isEqualTo(validLibrary);
        assertThat(driver.statuses()).isEmpty();
        assertThat(driver.alerts()).isEmpty();

        driver.progress(Events.increment(RUN, "scan", driver.now()));
        assertThat(driver.run(RUN).stages().get("scan").completed()).as("the stream still flows").isEqualTo(5);
    }

    @Test
    void aDeadLetterKeepsTheOriginalBytesAndSaysWhy() {
        byte[] value = utf8("{\"runId\":\"" + RUN + "\",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"increment\":-3," + AT + "}");
        driver.raw(driver.topics.stageProgress(), utf8(RUN), value);

        TestRecord<byte[], byte[]> letter = driver.deadLetters().get(0);
        assertThat(letter.key()).isEqualTo(utf8(RUN));
        assertThat(letter.value()).isEqualTo(value);
        assertThat(header(letter, DeadLetter.ERROR)).isEqualTo("increment must not be negative, got -3");
        assertThat(header(letter, DeadLetter.SOURCE_PARTITION)).isEqualTo("0");
    }

    /** Counts that contradict what the run already knows are refused after the repartition, still with the original record. */
    @Test
    void anAbsoluteCountAboveTheStagesKnownTotalIsDeadLetteredWithItsOrigin() {
        byte[] value = utf8("{\"runId\":\"" + RUN + "\",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"completed\":999," + AT + "}");
        driver.raw(driver.topics.stageProgress(), utf8("any-key"), value);

        TestRecord<byte[], byte[]> letter = driver.deadLetters().get(0);
        assertThat(header(letter, DeadLetter.ERROR))
                .isEqualTo("completed + failed (999) exceeds the total (10) of stage 'scan'");
        assertThat(header(letter, DeadLetter.SOURCE_TOPIC)).isEqualTo(driver.topics.stageProgress());
        assertThat(letter.key()).isEqualTo(utf8("any-key"));
        assertThat(letter.value()).isEqualTo(value);
        assertThat(driver.run(RUN)).isEqualTo(validRun);
    }

    @Test
    void aRunRefusesStagesBeyondItsLimit() {
        for (int i = 0; i < 99; i++) {
            driver.progress(Events.stageStarted(RUN, "stage-" + i, 1, driver.now()));
        }
        assertThat(driver.deadLetters()).isEmpty();
        driver.progress(Events.stageStarted(RUN, "one-too-many", 1, driver.now()));
        assertThat(driver.deadLetters()).singleElement().satisfies(letter -> assertThat(header(letter, DeadLetter.ERROR))
                .isEqualTo("run r-valid already has 100 stages, the most a run may have"));
        assertThat(driver.run(RUN).stages()).hasSize(100).doesNotContainKey("one-too-many");
    }

    private List<byte[]> stageProgressCorpus() {
        String run = "\"runId\":\"" + RUN + "\"";
        List<byte[]> corpus = new ArrayList<>(Arrays.asList(
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PROGR"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"increment\":\"1\"," + AT + "}"),
                utf8("{\"runId\":{\"id\":1},\"stage\":\"scan\",\"kind\":\"PROGRESS\"," + AT + "}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"increment\":true," + AT + "}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"increment\":1.5," + AT + "}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"at\":1772359200000}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"message\":\"" + "m".repeat(3000) + "\"," + AT + "}"),
                utf8("{\"runId\":\"" + "r".repeat(1_000_000) + "\",\"kind\":\"HEARTBEAT\"," + AT + "}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PAUSED\"," + AT + "}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"progress\"," + AT + "}"),
                utf8("null"),
                utf8(""),
                null,
                utf8("{\"runId\":null,\"stage\":\"scan\",\"kind\":\"PROGRESS\"," + AT + "}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":null," + AT + "}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"at\":null}"),
                utf8("{" + run + ",\"stage\":null,\"kind\":\"PROGRESS\"," + AT + "}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"increment\":-1," + AT + "}"),
                utf8("{\"stage\":\"scan\",\"kind\":\"PROGRESS\"," + AT + "}"),
                utf8("{\"runId\":\"   \",\"stage\":\"scan\",\"kind\":\"PROGRESS\"," + AT + "}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"completed\":12,\"total\":10," + AT + "}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"completed\":11," + AT + "}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"increment\":1,\"completed\":5," + AT + "}"),
                utf8("{" + run + ",\"kind\":\"RUN_STARTED\",\"total\":5," + AT + "}"),
                utf8("{" + run + ",\"stage\":\"scan\",\"kind\":\"PROGRESS\",\"increment\":99999999999999999999999," + AT + "}"),
                utf8("{\"runId\":\"r\\u0000x\",\"kind\":\"HEARTBEAT\"," + AT + "}"),
                utf8("{" + run + ",\"kind\":\"HEARTBEAT\",\"note\":\"" + "n".repeat(70_000) + "\"," + AT + "}"),
                utf8("[" + run + "]"),
                utf8("{\"runId\":\"" + RUN + "\"," + AT + ",\"kind\":\"HEARTBEAT\"} trailing"),
                utf8("[".repeat(200) + "]".repeat(200)),
                new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'}));
        return corpus;
    }

    private List<byte[]> jobDueCorpus() {
        String fields = "\"jobId\":\"job-a\",\"runId\":\"job-a@1\",\"scheduledFor\":\"2026-03-01T10:00:00Z\","
                + "\"firedAt\":\"2026-03-01T10:00:00Z\"";
        return new ArrayList<>(Arrays.asList(
                utf8("{" + fields + ",\"trigger\":\"SCHED"),
                utf8("{\"jobId\":\"job-a\",\"scheduledFor\":\"2026-03-01T10:00:00Z\",\"firedAt\":\"2026-03-01T10:00:00Z\","
                        + "\"trigger\":\"SCHEDULE\"}"),
                utf8("{" + fields + ",\"trigger\":\"WHENEVER\"}"),
                utf8("{\"jobId\":\"job-a\",\"runId\":\"job-a@1\",\"scheduledFor\":\"yesterday\","
                        + "\"firedAt\":\"2026-03-01T10:00:00Z\",\"trigger\":\"SCHEDULE\"}"),
                utf8("{}"),
                utf8("null"),
                null,
                new byte[] {(byte) 0xFF, (byte) 0xFE}));
    }

    private List<byte[]> fileChangeCorpus() {
        String at = "\"detectedAt\":\"2026-03-01T10:00:00Z\"";
        return new ArrayList<>(Arrays.asList(
                utf8("{\"libraryId\":\"lib\",\"path\":\"/a.jpg\",\"change\":\"DEL"),
                utf8("{\"libraryId\":\"lib\",\"path\":\"/n.jpg\",\"change\":\"RENAMED\"," + at + "}"),
                utf8("{\"libraryId\":\"lib\",\"path\":\"/a.jpg\",\"change\":\"MOVED\"," + at + "}"),
                utf8("{\"libraryId\":\"lib\",\"path\":\"/a.jpg\",\"change\":\"DELETED\",\"size\":-1," + at + "}"),
                utf8("{\"libraryId\":\"lib\",\"path\":\"/" + "p".repeat(5000) + "\",\"change\":\"ADDED\"," + at + "}"),
                utf8("{\"libraryId\":\"lib\",\"path\":\"/a.jpg\",\"change\":\"DELETED\"}"),
                utf8("{\"libraryId\":\"lib\",\"path\":null,\"change\":\"DELETED\"," + at + "}"),
                utf8("{\"libraryId\":\"lib\",\"path\":\"/a.jpg\",\"change\":\"DELETED\",\"runId\":\"\"," + at + "}"),
                null));
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
