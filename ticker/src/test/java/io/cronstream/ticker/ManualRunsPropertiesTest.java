package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 13: whatever mix of trigger commands reaches the ticker (retried requests with the same idempotency
 * key at later times, keyless commands redelivered, all interleaved), it makes one manual run per request.
 * One driver for the class; each try triggers its own job.
 */
class ManualRunsPropertiesTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static TickerHarness ticker;
    private static int tries;

    @BeforeContainer
    static void start() {
        ticker = new TickerHarness(START);
    }

    @AfterContainer
    static void stop() {
        ticker.close();
    }

    /** A command: a keyed request ({@code key} ≥ 0) or a keyless one named by its time, sent at {@code sentAt}. */
    record Sent(int key, int requestedAtMillis, int sentAt) {
    }

    @Property(tries = 30)
    void oneRunPerRequestHoweverOftenItArrives(@ForAll("commands") List<Sent> commands) {
        String jobId = "job-" + tries++;
        ticker.putJob(jobId, "{\"scheduleType\": \"Manual\"}");
        Set<String> expected = new LinkedHashSet<>();
        for (Sent sent : commands) {
            String key = sent.key() >= 0 ? "request-" + sent.key() : null;
            // a retried keyed request is a new command at a later time; a redelivery is the same command
            Instant requestedAt = START.plusMillis(key != null ? sent.sentAt() : sent.requestedAtMillis());
            Command command = Command.trigger(jobId, "prop", requestedAt, key);
            ticker.command(jobId, JsonCodec.of(Command.class).write(command));
            expected.add(command.manualRunId());
        }
        assertThat(ticker.due()).extracting(DueEvent::runId).containsExactlyElementsOf(expected);
    }

    @Provide
    Arbitrary<List<Sent>> commands() {
        Arbitrary<Sent> sent = Combinators.combine(Arbitraries.integers().between(-1, 9),
                Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 100_000)).as(Sent::new);
        return sent.list().ofMaxSize(40);
    }
}
