package io.cronstream.ticker;

import static io.cronstream.ticker.TickerHarness.header;
import static io.cronstream.ticker.TickerHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Job records and commands cross the repartition by job id unchanged: any key spelling reaches the one
 * state of its id, a keyless document still counts by its _id, and what is too large to cross is
 * dead-lettered in front of it with the reader's reason and the input's coordinates.
 */
class JobIdRoutingTest {

    private final TickerHarness ticker = new TickerHarness(Instant.parse("2026-01-05T10:00:30Z"));

    @AfterEach
    void close() {
        ticker.close();
    }

    @Test
    void keySpellingsOfOneIdMakeOneJobThatATriggerFinds() {
        ticker.putJob("{\"_id\": \"x\"}", "{\"name\": \"first\", \"cronExpression\": \"0 3 * * *\"}");
        ticker.putJob("\"x\"", "{\"name\": \"second\", \"cronExpression\": \"0 3 * * *\"}");
        ticker.putRaw(null, utf8("{\"_id\": \"x\", \"name\": \"third\", \"cronExpression\": \"0 3 * * *\"}"));
        assertThat(ticker.job("x").definition().name()).isEqualTo("third");
        ticker.trigger("x", "alice");
        List<DueEvent> due = ticker.due();
        assertThat(due).singleElement().satisfies(event -> {
            assertThat(event.jobId()).isEqualTo("x");
            assertThat(event.trigger()).isEqualTo(Trigger.MANUAL);
            assertThat(event.name()).isEqualTo("third");
        });
        assertThat(ticker.deadLetters()).isEmpty();
    }

    @Test
    void recordsTooLargeToCrossAreDeadLetteredWithTheirSource() {
        ticker.putJob("ok", "{\"cronExpression\": \"0 3 * * *\"}");
        ticker.putJob("big", "{\"cronExpression\": \"0 3 * * *\", \"payload\": {\"x\": \"" + "x".repeat(300_000) + "\"}}");
        ticker.command("ok", utf8("{\"type\": \"TRIGGER\", \"jobId\": \"ok\", \"triggeredBy\": \"" + "e".repeat(70_000)
                + "\", \"requestedAt\": \"2026-01-05T10:00:30Z\"}"));
        ticker.putRaw(utf8("k".repeat(5_000)), utf8("{\"cronExpression\": \"0 3 * * *\"}"));
        List<TestRecord<byte[], byte[]>> dead = ticker.deadLetters();
        assertThat(dead).extracting(r -> header(r, DeadLetter.ERROR)).containsExactlyInAnyOrder(
                "value cut to its first 262144 of 300053 bytes: value is 300053 bytes, more than the 262144 a job "
                        + "definition may have",
                "value is 70092 bytes, more than the 65536 a command may have",
                "key is 5000 bytes, more than the 4096 a job definition's key may have");
        assertThat(dead).extracting(r -> header(r, DeadLetter.SOURCE_TOPIC))
                .containsExactlyInAnyOrder("cronstream.jobs", "cronstream.commands", "cronstream.jobs");
        assertThat(dead).extracting(r -> header(r, DeadLetter.SOURCE_OFFSET)).containsExactlyInAnyOrder("1", "0", "2");
        assertThat(ticker.job("ok")).isNotNull();
        assertThat(ticker.job("big").definition().valid()).as("a stub crossed for it").isFalse();
        ticker.jump(Duration.ofSeconds(1));
        assertThat(ticker.due()).isEmpty();
    }

    @Test
    void aDeadLetterBehindTheRepartitionNamesTheInputRecord() {
        ticker.putJob("a", "{\"cronExpression\": \"0 3 * * *\"}");
        ticker.putJob("b", "{not json");
        assertThat(ticker.deadLetters()).singleElement().satisfies(r -> {
            assertThat(header(r, DeadLetter.SOURCE_TOPIC)).isEqualTo("cronstream.jobs");
            assertThat(header(r, DeadLetter.SOURCE_OFFSET)).isEqualTo("1");
            assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("b");
        });
    }
}
