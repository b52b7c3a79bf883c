package io.cronstream.ticker;

import static io.cronstream.ticker.FailureDriver.alerts;
import static io.cronstream.ticker.FailureDriver.completed;
import static io.cronstream.ticker.FailureDriver.failed;
import static io.cronstream.ticker.FailureDriver.manual;
import static io.cronstream.ticker.FailureDriver.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Trigger;
import io.cronstream.ticker.job.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Issue 16: whatever mix of RUN_FINISHED commands reaches the ticker (statuses, attempts, the same status
 * delivered again, before or after its retry fired) between wall-clock steps, every RETRY due event answers exactly
 * one FAILED run with attempts left, none twice, none before its backoff; and every such failure gets its retry.
 * Issue 23: a run's first end alone counts, and only for a run the ticker made (a retry's run once it fired): the end
 * of a retry that has not fired yet, or a run's second end, does nothing. One driver for the class; each try has its
 * own job.
 */
class RetryPropertiesTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofSeconds(10), 2.0, Duration.ofSeconds(30),
            0.5);
    private static final int RUNS = 3;
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

    /** {@code kind} 0: FAILED, 1: COMPLETED (of run {@code run}'s attempt {@code attempt}); 2: wait {@code seconds}. */
    record Step(int kind, int run, int attempt, int seconds) {
    }

    /** A retry the model expects: of {@code retryOf}, not before {@code dueAt}. */
    record Expected(String retryOf, int attempt, Instant dueAt) {
    }

    @Property(tries = 40)
    void everyRetryAnswersOneFailureWithAttemptsLeftOnceAndNotBeforeItsBackoff(@ForAll("steps") List<Step> steps) {
        String jobId = "job-" + tries++;
        ticker.putJob(jobId, "{\"scheduleType\": \"Manual\"}");
        policy(ticker, jobId, b -> b.retry(POLICY));
        Set<String> made = new HashSet<>(); // runs the ticker made: the first tries, and each retry once it fired
        for (int run = 0; run < RUNS; run++) {
            made.add(manual(ticker, jobId, "r" + run));
        }
        Set<String> ended = new HashSet<>();
        Map<String, Expected> expected = new LinkedHashMap<>();
        for (Step step : steps) {
            if (step.kind() == 2) {
                ticker.jump(Duration.ofSeconds(step.seconds()));
                expected.forEach((retry, model) -> {
                    if (!model.dueAt().isAfter(ticker.now())) {
                        made.add(retry);
                    }
                });
                continue;
            }
            String first = jobId + "@manual-r" + step.run();
            String runId = step.attempt() == 1 ? first : DueEvent.retryRunIdFor(first, step.attempt());
            boolean counts = made.contains(runId) && ended.add(runId); // only a made run's first end counts
            if (step.kind() == 1) {
                completed(ticker, jobId, runId, step.attempt());
                continue;
            }
            failed(ticker, jobId, runId, step.attempt());
            if (counts && step.attempt() < POLICY.maxAttempts()) {
                expected.put(DueEvent.retryRunIdFor(first, step.attempt() + 1), new Expected(runId,
                        step.attempt() + 1, ticker.now().plus(PendingRetries.backoff(POLICY, step.attempt(), runId))));
            }
        }
        ticker.jump(Duration.ofHours(1));

        List<DueEvent> due = ticker.due();
        alerts(ticker); // drained: this property is about the retries
        assertThat(due).allSatisfy(e -> assertThat(e.trigger()).isEqualTo(Trigger.RETRY));
        Set<String> seen = new HashSet<>();
        for (DueEvent retry : due) {
            assertThat(seen.add(retry.runId())).as("fired twice: %s", retry.runId()).isTrue();
            Expected model = expected.get(retry.runId());
            assertThat(model).as("a retry no failure asked for: %s", retry.runId()).isNotNull();
            assertThat(retry.retryOf()).isEqualTo(model.retryOf());
            assertThat(retry.attempt()).isEqualTo(model.attempt());
            assertThat(retry.scheduledFor()).isEqualTo(model.dueAt());
            assertThat(retry.firedAt()).isAfterOrEqualTo(model.dueAt());
        }
        assertThat(seen).as("every failure with attempts left is retried").isEqualTo(expected.keySet());
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, RUNS - 1), Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(1, 40)).as(Step::new);
        return step.list().ofMaxSize(30);
    }
}
