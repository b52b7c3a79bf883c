package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Trigger;
import io.cronstream.ticker.job.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 23: whatever interleaving of manual triggers (new, reused and keyless keys, forced or not), runs' ends (first,
 * repeated, of runs nobody made), retries, chained runs, edits (schedule, enabled) and clock steps and stalls reaches
 * the ticker, with an overlap-SKIP job {@code s} (FIRE_ALL catch-up, retries, chained after {@code u}):
 * <ul>
 * <li>no run id is emitted twice;</li>
 * <li>{@code s}'s active run always names a run that is active (emitted and not ended) or a retry waiting to run;</li>
 * <li>{@code s} never has two active runs, forced manual runs (the API's {@code ?force=true}) and their retries
 *     apart; a fire of its own (schedule, catch-up, chained) never starts beside an active one;</li>
 * <li>every retry and every chained run the rules call for is emitted (none lost), and a retry only drops when its
 *     job is disabled.</li>
 * </ul>
 * The test plays the workers (it decides when runs end) and the API (a trigger of {@code s} while the job shows an
 * active run is sent only when forced). One driver for the class; each try has its own jobs.
 */
class MadeRunsPropertiesTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final JsonCodec<Command> COMMANDS = JsonCodec.of(Command.class);
    private static final RetryPolicy S_RETRY = new RetryPolicy(3, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 0);
    private static final RetryPolicy U_RETRY = new RetryPolicy(2, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 0);
    private static final List<String> CRONS = List.of("*/30 * * * * *", "*/20 * * * * *");
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

    sealed interface Step permits Fire, End, Again, Bogus, Wait, Stall, Edit {
    }

    /** A manual trigger of {@code s} (or {@code u}), keyed {@code k<key>} or keyless ({@code key < 0}). */
    record Fire(boolean upstream, int key, boolean force) implements Step {
    }

    /** The end of one of the job's active runs. */
    record End(boolean upstream, int pick, boolean failed) implements Step {
    }

    /** An end sent before, delivered again. */
    record Again(int pick) implements Step {
    }

    /** A RUN_FINISHED of {@code s} naming a run nobody made. */
    record Bogus(int kind) implements Step {
    }

    record Wait(int seconds) implements Step {
    }

    /** A stall: the clock moves {@code minutes} in one step, so many fire times come due in one punctuation. */
    record Stall(int minutes) implements Step {
    }

    /** {@code s}'s definition: schedule {@code cron}, enabled or not. */
    record Edit(int cron, boolean enabled) implements Step {
    }

    private record Run(String jobId, int attempt, boolean forced) {
    }

    private record Pending(String jobId, Instant dueAt, boolean forced) {
    }

    /** What the test knows: runs emitted, those it has not ended yet, and retries the ticker must be holding. */
    private static final class Model {
        final String s;
        final String u;
        final Set<String> emitted = new HashSet<>();
        final Map<String, Run> active = new LinkedHashMap<>();
        final Map<String, Pending> pending = new LinkedHashMap<>();
        final Map<String, Boolean> manualForced = new HashMap<>();
        final List<Command> ends = new ArrayList<>();
        boolean enabled = true;

        Model(String s, String u) {
            this.s = s;
            this.u = u;
        }

        /** {@code s}'s runs that hold the overlap slot: active and waiting retries, forced lineages apart. */
        List<String> holdingS() {
            List<String> holding = new ArrayList<>();
            active.forEach((id, run) -> {
                if (run.jobId().equals(s) && !run.forced()) {
                    holding.add(id);
                }
            });
            pending.forEach((id, retry) -> {
                if (retry.jobId().equals(s) && !retry.forced()) {
                    holding.add(id);
                }
            });
            return holding;
        }
    }

    @Property(tries = 150)
    void runIdsAreNeverRepeatedAndSkipHoldsWhateverArrives(@ForAll("steps") List<Step> steps) {
        int n = tries++;
        Model model = new Model("s" + n, "u" + n);
        ticker.putJob(model.u, "{\"scheduleType\": \"Manual\", \"retry\": {\"maxAttempts\": 2, \"initialInterval\": "
                + "\"PT10S\", \"jitter\": 0}}");
        ticker.putJob(model.s, definition(model, 0, true));
        ticker.due();
        try {
            for (Step step : steps) {
                boolean expectAfter = apply(step, model);
                List<DueEvent> due = ticker.due();
                observe(model, due, step);
                assertThat(due.stream().anyMatch(e -> e.trigger() == Trigger.AFTER))
                        .as("a chained run of %s after %s", model.s, step).isEqualTo(expectAfter);
                checkInvariants(model, step);
            }
        } finally {
            ticker.deleteJob(model.s); // the next try's clock steps must not fire this one's
            ticker.deleteJob(model.u);
            ticker.due();
        }
    }

    private static String definition(Model model, int cron, boolean enabled) {
        return "{\"cron\": \"" + CRONS.get(cron) + "\", \"overlapPolicy\": \"SKIP\", \"misfirePolicy\": \"FIRE_ALL\", "
                + "\"catchupWindow\": \"PT10M\", \"enabled\": " + enabled + ", \"retry\": {\"maxAttempts\": 3, "
                + "\"initialInterval\": \"PT10S\", \"jitter\": 0}, \"after\": [{\"jobId\": \"" + model.u + "\", "
                + "\"on\": \"ANY\"}]}";
    }

    /** Applies one step; returns whether it must make a chained run of {@code s}. */
    private static boolean apply(Step step, Model model) {
        if (step instanceof Fire fire) {
            String jobId = fire.upstream() ? model.u : model.s;
            // the API's rule: while the job shows an active run, only a forced trigger is written
            boolean forced = !fire.upstream() && ticker.job(model.s).activeRunId() != null;
            if (forced && !fire.force()) {
                return false;
            }
            Command trigger = Command.trigger(jobId, "prop", ticker.now(), fire.key() < 0 ? null : "k" + fire.key());
            model.manualForced.putIfAbsent(trigger.manualRunId(), forced);
            ticker.command(jobId, COMMANDS.write(trigger));
        } else if (step instanceof End end) {
            return end(end, model);
        } else if (step instanceof Again again && !model.ends.isEmpty()) {
            Command repeated = model.ends.get(again.pick() % model.ends.size());
            ticker.command(repeated.jobId(), COMMANDS.write(repeated));
        } else if (step instanceof Bogus bogus) {
            String runId = switch (bogus.kind()) {
                case 0 -> model.s + "@manual-nobody-made-this";
                case 1 -> model.s + "@" + ticker.now().toEpochMilli();
                case 2 -> model.pending.keySet().stream().findFirst().orElse(model.s + "@manual-k0-attempt-3");
                default -> model.u + "@manual-k0";
            };
            if (!model.active.containsKey(runId)) {
                ticker.command(model.s, COMMANDS.write(Command.runFinished(model.s, runId, "FAILED", ticker.now(), 1,
                        null)));
            }
        } else if (step instanceof Wait wait) {
            ticker.runUntil(ticker.now().plusSeconds(wait.seconds()), Duration.ofSeconds(1));
        } else if (step instanceof Stall stall) {
            ticker.jump(Duration.ofMinutes(stall.minutes()));
        } else if (step instanceof Edit edit) {
            model.enabled = edit.enabled();
            ticker.putJob(model.s, definition(model, edit.cron(), edit.enabled()));
        }
        return false;
    }

    /** The end of one of the job's active runs, as its worker reports it; returns whether {@code s} must chain. */
    private static boolean end(End end, Model model) {
        String jobId = end.upstream() ? model.u : model.s;
        List<String> runs = model.active.entrySet().stream().filter(e -> e.getValue().jobId().equals(jobId))
                .map(Map.Entry::getKey).toList();
        if (runs.isEmpty()) {
            return false;
        }
        String runId = runs.get(end.pick() % runs.size());
        Run run = model.active.remove(runId);
        RetryPolicy policy = end.upstream() ? U_RETRY : S_RETRY;
        boolean retries = end.failed() && run.attempt() < policy.maxAttempts() && (end.upstream() || model.enabled);
        if (retries) {
            model.pending.put(DueEvent.retryRunIdFor(DueEvent.firstRunIdOf(runId), run.attempt() + 1),
                    new Pending(jobId, ticker.now().plus(PendingRetries.backoff(policy, run.attempt(), runId)),
                            run.forced()));
        }
        boolean chains = end.upstream() && !retries && model.enabled && ticker.job(model.s).activeRunId() == null;
        Command finished = Command.runFinished(jobId, runId, end.failed() ? "FAILED" : "COMPLETED", ticker.now(),
                run.attempt(), null);
        model.ends.add(finished);
        ticker.command(jobId, COMMANDS.write(finished));
        return chains;
    }

    /** Takes the step's due events into the model, checking each new run against what was active. */
    private static void observe(Model model, List<DueEvent> due, Step step) {
        for (DueEvent event : due) {
            assertThat(model.emitted.add(event.runId())).as("emitted twice: %s (after %s)", event.runId(), step).isTrue();
            boolean forced;
            if (event.trigger() == Trigger.RETRY) {
                Pending retry = model.pending.remove(event.runId());
                assertThat(retry).as("a retry no failure called for: %s", event.runId()).isNotNull();
                assertThat(event.scheduledFor()).isEqualTo(retry.dueAt());
                forced = retry.forced();
            } else if (event.trigger() == Trigger.MANUAL) {
                assertThat(model.manualForced).as("a manual run nobody asked for").containsKey(event.runId());
                forced = model.manualForced.get(event.runId());
            } else {
                assertThat(event.jobId()).isEqualTo(model.s);
                forced = false;
                assertThat(model.holdingS()).as("%s %s fired while a run of the job is active (after %s)",
                        event.trigger(), event.runId(), step).isEmpty();
            }
            model.active.put(event.runId(), new Run(event.jobId(), event.attempt(), forced));
        }
        // a retry whose time has come and that did not fire was dropped: only a disabled job's may be
        List<String> dropped = model.pending.entrySet().stream()
                .filter(e -> !e.getValue().dueAt().isAfter(ticker.now())).map(Map.Entry::getKey).toList();
        for (String retry : dropped) {
            Pending lost = model.pending.remove(retry);
            assertThat(lost.jobId().equals(model.s) && !model.enabled).as("retry %s lost (after %s)", retry, step)
                    .isTrue();
        }
    }

    private static void checkInvariants(Model model, Step step) {
        List<String> holding = model.holdingS();
        assertThat(holding).as("two active runs of an overlap-SKIP job (after %s)", step).hasSizeLessThanOrEqualTo(1);
        String active = ticker.job(model.s).activeRunId();
        if (active != null) {
            assertThat(model.active.containsKey(active) || model.pending.containsKey(active))
                    .as("the active run %s is not active (after %s)", active, step).isTrue();
        }
        if (!holding.isEmpty()) {
            assertThat(active).as("the job must wait for %s (after %s)", holding, step).isEqualTo(holding.get(0));
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> fire = Combinators.combine(Arbitraries.of(false, false, true), Arbitraries.integers().between(-1, 6),
                Arbitraries.of(false, true)).as(Fire::new);
        Arbitrary<Step> end = Combinators.combine(Arbitraries.of(false, false, true), Arbitraries.integers().between(0, 5),
                Arbitraries.of(false, true)).as(End::new);
        Arbitrary<Step> again = Arbitraries.integers().between(0, 20).map(Again::new);
        Arbitrary<Step> bogus = Arbitraries.integers().between(0, 3).map(Bogus::new);
        Arbitrary<Step> wait = Arbitraries.integers().between(1, 40).map(Wait::new);
        Arbitrary<Step> stall = Arbitraries.integers().between(1, 6).map(Stall::new);
        Arbitrary<Step> edit = Combinators.combine(Arbitraries.integers().between(0, CRONS.size() - 1),
                Arbitraries.of(true, true, false)).as(Edit::new);
        return Arbitraries.frequencyOf(Tuple.of(6, fire), Tuple.of(6, end), Tuple.of(1, again), Tuple.of(1, bogus),
                Tuple.of(5, wait), Tuple.of(1, stall), Tuple.of(1, edit)).list().ofMinSize(5).ofMaxSize(60);
    }
}
