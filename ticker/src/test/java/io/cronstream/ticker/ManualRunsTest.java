package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 13: manual runs are runs of their own, never a scheduled one's, and a retried request makes one. */
class ManualRunsTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final TickerHarness ticker = new TickerHarness(START);

    @AfterEach
    void close() {
        ticker.close();
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    private void trigger(String jobId, Instant requestedAt, String requestId) {
        ticker.command(jobId, JsonCodec.of(Command.class).write(Command.trigger(jobId, "alice", requestedAt, requestId)));
    }

    @Test
    void aManualRunRequestedInTheMillisecondOfAFireTimeIsASecondRun() {
        ticker.putJob("j", "{\"cron\": \"*/10 * * * *\"}");
        Instant fireTime = at("2026-01-05T10:10:00Z");
        ticker.runUntil(at("2026-01-05T10:10:30Z"), MINUTE);
        trigger("j", fireTime, null);

        List<DueEvent> due = ticker.due();
        assertThat(due).extracting(DueEvent::scheduledFor, DueEvent::trigger).containsExactly(
                tuple(fireTime, Trigger.SCHEDULE), tuple(fireTime, Trigger.MANUAL));
        assertThat(due).extracting(DueEvent::runId).containsExactly(
                "j@" + fireTime.toEpochMilli(), "j@manual-" + fireTime.toEpochMilli());
    }

    @Test
    void aManualRunDoesNotFreeAnOverlapSkipJobWhoseScheduledRunIsActive() {
        ticker.putJob("s", "{\"cron\": \"*/10 * * * *\", \"overlapPolicy\": \"SKIP\"}");
        ticker.runUntil(at("2026-01-05T10:11:00Z"), MINUTE);
        String scheduled = ticker.due().get(0).runId();

        ticker.trigger("s", "alice");
        String manual = ticker.due().get(0).runId();
        assertThat(ticker.job("s").activeRunId()).isEqualTo(scheduled);
        ticker.runFinished("s", manual);
        ticker.runUntil(at("2026-01-05T10:21:00Z"), MINUTE);
        assertThat(ticker.due()).as("10:20 skipped: the scheduled run is still going").isEmpty();

        ticker.runFinished("s", scheduled);
        ticker.runUntil(at("2026-01-05T10:31:00Z"), MINUTE);
        assertThat(ticker.dueTimes()).containsExactly(at("2026-01-05T10:30:00Z"));
    }

    @Test
    void aManualRunOfAnIdleOverlapSkipJobHoldsItsNextFire() {
        ticker.putJob("s", "{\"cron\": \"*/10 * * * *\", \"overlapPolicy\": \"SKIP\"}");
        ticker.trigger("s", "alice");
        String manual = ticker.due().get(0).runId();
        assertThat(ticker.job("s").activeRunId()).isEqualTo(manual);
    }

    /** The API answered 503 (the producer timed out after the broker had the command); the client retried. */
    @Test
    void aRetriedTriggerWithTheSameIdempotencyKeyMakesOneRun() {
        ticker.putJob("j", "{\"scheduleType\": \"Manual\"}");
        trigger("j", START, "order-42");
        trigger("j", START.plusSeconds(3), "order-42");
        trigger("j", START.plusSeconds(4), "order-43");
        trigger("j", START.plusSeconds(5), "order-42");

        assertThat(ticker.due()).extracting(DueEvent::runId).containsExactly("j@manual-order-42", "j@manual-order-43");
    }
}
