package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.DueEvent;
import io.cronstream.ticker.job.JobFingerprint;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An update of an existing job that is refused (too large, or unreadable) fails closed: the job stops firing and
 * shows why, never fires on under its old definition. The refused record is a dead letter with its reason.
 */
class FailClosedTest {

    private static final Instant START = Instant.parse("2026-03-02T09:00:00.500Z");
    private static final String EVERY_SECOND = "{\"cronExpression\": \"* * * * * *\", \"version\": 1}";

    private final TickerHarness ticker = new TickerHarness(START);

    @AfterEach
    void close() {
        ticker.close();
    }

    @Test
    void aStubForADocumentOverTheLimitStopsTheJobAndNamesTheLimit() {
        ticker.putJob("big", EVERY_SECOND);
        ticker.jump(Duration.ofSeconds(1));
        assertThat(ticker.due()).hasSize(1);

        // what the connector's pipeline publishes for a 3 MB update that disables the job
        ticker.putJob("big", "{\"_id\": \"big\", \"version\": 2, \"cronstreamTooLarge\": {\"bytes\": 3000082, "
                + "\"limit\": 262144}}");
        ticker.jump(Duration.ofSeconds(5));

        assertThat(ticker.due()).isEmpty();
        JobState job = ticker.job("big");
        assertThat(job.definition().valid()).isFalse();
        assertThat(job.definition().error()).isEqualTo("document is 3000082 bytes, more than the 262144 a job "
                + "definition may have");
        assertThat(job.definition().version()).isEqualTo(2L);
        assertThat(job.definition().cron()).as("the definition shown is the last one read").isEqualTo("* * * * * *");
        assertThat(job.nextFireAt()).isNull();
        TestRecord<byte[], byte[]> letter = single(ticker.deadLetters());
        assertThat(TickerHarness.header(letter, DeadLetter.ERROR)).contains("3000082 bytes").contains("262144");
        assertThat(ticker.dlqMetric(TickerHarness.TOPICS.jobs(), "too-large")).isEqualTo(1.0);
    }

    @Test
    void aNewJobWhoseDocumentIsOverTheLimitIsShownInvalid() {
        ticker.putJob("new-big", "{\"_id\": \"new-big\", \"cronstreamTooLarge\": {\"bytes\": 1200042, "
                + "\"limit\": 262144}}");

        JobState job = ticker.job("new-big");
        assertThat(job.definition().valid()).isFalse();
        assertThat(job.definition().error()).contains("1200042 bytes").contains("262144");
        assertThat(single(ticker.deadLetters())).isNotNull();
    }

    @Test
    void aRecordOverTheLimitOnTheJobsTopicStopsItsJobToo() {
        ticker.putJob("raw-big", EVERY_SECOND);
        ticker.jump(Duration.ofSeconds(1));
        ticker.due();

        // 300 KB that would disable the job, written to the topic by something other than the connector
        String disable = "{\"cronExpression\": \"* * * * * *\", \"isEnabled\": false, \"padding\": \""
                + "x".repeat(300_000) + "\"}";
        ticker.putJob("raw-big", disable);
        ticker.jump(Duration.ofSeconds(5));

        assertThat(ticker.due()).isEmpty();
        assertThat(ticker.job("raw-big").definition().valid()).isFalse();
        assertThat(ticker.job("raw-big").definition().error()).contains(disable.length() + " bytes")
                .contains("262144");
        TestRecord<byte[], byte[]> letter = single(ticker.deadLetters());
        assertThat(TickerHarness.header(letter, DeadLetter.SOURCE_TOPIC)).isEqualTo(TickerHarness.TOPICS.jobs());
        assertThat(new String(letter.value(), java.nio.charset.StandardCharsets.UTF_8)).as("the first 256 KB kept")
                .startsWith("{\"cronExpression\"");
        assertThat(ticker.source("raw-big").fingerprint()).isEqualTo("too-large:null");
    }

    @Test
    void anUpdateThatCannotBeReadStopsTheJobAndSaysWhy() {
        ticker.putJob("garbled", EVERY_SECOND);
        ticker.jump(Duration.ofSeconds(1));
        ticker.due();

        ticker.putJob("garbled", "{\"cronExpression\": ");
        ticker.jump(Duration.ofSeconds(5));

        assertThat(ticker.due()).isEmpty();
        assertThat(ticker.job("garbled").definition().valid()).isFalse();
        assertThat(ticker.job("garbled").definition().error()).startsWith("update refused: malformed JSON");
        assertThat(ticker.source("garbled").fingerprint()).isEqualTo(JobFingerprint.UNREADABLE);
        assertThat(ticker.deadLetters()).hasSize(1);

        // A definition that can be read schedules it again.
        ticker.putJob("garbled", EVERY_SECOND);
        ticker.jump(Duration.ofSeconds(1));
        assertThat(ticker.due()).extracting(DueEvent::jobId).containsExactly("garbled");
    }

    @Test
    void anUnreadableRecordForAnUnknownJobIsOnlyADeadLetter() {
        ticker.putJob("never-defined", "not json");

        assertThat(ticker.job("never-defined")).isNull();
        assertThat(ticker.deadLetters()).hasSize(1);
    }

    private static TestRecord<byte[], byte[]> single(java.util.List<TestRecord<byte[], byte[]>> records) {
        assertThat(records).hasSize(1);
        return records.get(0);
    }
}
