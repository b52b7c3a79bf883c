package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JobHistory;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunHistoryItem;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.StageSnapshot;
import io.cronstream.schemas.TextBudget;
import io.cronstream.schemas.Trigger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An accumulation of valid events never makes a record the broker refuses: the worst run (every stage
 * allowed, every text as long and as costly to encode as the input rules allow) and the worst job
 * history (100 such runs) stay under Kafka's default {@code max.message.bytes}, on the output topics and
 * in the changelogs, and say where they were cut.
 */
class RecordSizeTest {

    /** Kafka's default {@code max.message.bytes} (1 MiB + 12), minus room for the key and record overhead. */
    private static final int BROKER_LIMIT = 1_048_588 - 8_192;

    private final ProgressDriver progress = new ProgressDriver();

    @AfterEach
    void close() {
        progress.close();
    }

    /** The longest message an event may carry, each character escaped to six bytes in JSON. */
    private static final String WORST_MESSAGE = "\u0001".repeat(StageProgressEvent.MAX_MESSAGE);

    /** A stage name as long as allowed, three UTF-8 bytes a character; unique by its head. */
    private static String stageName(int i) {
        String head = "s" + i + "-";
        return head + "\u65e5".repeat(StageProgressEvent.MAX_NAME - head.length());
    }

    private void worstRun(String jobId, Instant scheduledFor) {
        DueEvent due = Events.due(jobId, scheduledFor, Trigger.MANUAL, "\u0002".repeat(200));
        progress.due(due);
        String runId = due.runId();
        for (int i = 0; i < ProgressConfig.defaults().maxStagesPerRun(); i++) {
            progress.progress(new StageProgressEvent(runId, null, null, stageName(i), ProgressKind.STAGE_STARTED, 10L,
                    null, null, null, WORST_MESSAGE, scheduledFor, null));
        }
        progress.progress(Events.run(runId, ProgressKind.RUN_FAILED, WORST_MESSAGE, scheduledFor));
    }

    @Test
    void aRunWithEveryStageAndTheLongestMessagesStaysUnderTheBrokerLimit() {
        Instant at = ProgressDriver.T0;
        worstRun("big", at);
        List<byte[]> published = progress.rawValues(progress.topics.runStatus());
        List<byte[]> stored = progress.rawValues(ProgressDriver.changelogTopic(ProgressTopology.RUNS_STORE));
        assertThat(published).isNotEmpty();
        assertThat(stored).isNotEmpty();
        assertThat(published).allSatisfy(value -> assertThat(value.length).isLessThan(BROKER_LIMIT));
        assertThat(stored).allSatisfy(value -> assertThat(value.length).isLessThan(BROKER_LIMIT));

        RunSnapshot run = progress.run("big@" + at.toEpochMilli());
        assertThat(run.stages()).hasSize(100);
        assertThat(run.stages().values()).extracting(StageSnapshot::message).allMatch(m -> m.endsWith(TextBudget.SUFFIX));
        assertThat(run.message()).endsWith(TextBudget.SUFFIX);
        assertThat(run.stages().values()).extracting(StageSnapshot::total).containsOnly(10L);
    }

    @Test
    void aHistoryOfAHundredSuchRunsStaysUnderTheBrokerLimit() {
        // The longest job id a run id (512 characters) leaves room for, three bytes a character.
        String jobId = "\u65e5".repeat(StageProgressEvent.MAX_RUN_ID - 15);
        for (int i = 0; i < 100; i++) {
            Instant at = ProgressDriver.T0.plusSeconds(60L * i);
            DueEvent due = Events.due(jobId, at, Trigger.MANUAL, "\u0002".repeat(200));
            progress.due(due);
            progress.progress(Events.run(due.runId(), ProgressKind.RUN_FAILED, WORST_MESSAGE, at));
        }
        List<byte[]> stored = progress.rawValues(ProgressDriver.changelogTopic(ProgressTopology.JOB_HISTORY_STORE));
        assertThat(stored).isNotEmpty().allSatisfy(value -> assertThat(value.length).isLessThan(BROKER_LIMIT));

        JobHistory history = progress.history(jobId);
        assertThat(history.items()).hasSize(100);
        assertThat(history.items()).extracting(RunHistoryItem::message).allMatch(m -> m.endsWith(TextBudget.SUFFIX));
        assertThat(history.stats().failed()).isEqualTo(100);
    }
}
