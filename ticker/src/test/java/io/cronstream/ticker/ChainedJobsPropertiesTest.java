package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Trigger;
import io.cronstream.ticker.job.Upstream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 16: whatever definitions with {@code after} edges among a few jobs, deletions and runs' ends (some delivered
 * again) reach the ticker, every AFTER due event answers one end of an upstream run for one dependent chained after
 * it with a matching {@code on} at that moment, outside any cycle and with every upstream known; each such pair fires
 * exactly once. Issue 23: only the first end of a run the upstream's ticker made chains (an end delivered again, or
 * of a run of a job that could not run, chains nothing). One driver for the class; each try has its own job ids.
 */
class ChainedJobsPropertiesTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final int JOBS = 4;
    private static final String[] STATUSES = {"COMPLETED", "FAILED"};
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

    sealed interface Step permits Define, Delete, Finish {
    }

    /** Job {@code job} defined with {@code after}: upstream index → on (its own index is left out). */
    record Define(int job, Map<Integer, Upstream.On> after) implements Step {
    }

    record Delete(int job) implements Step {
    }

    /** The end of an upstream run; {@code again}: the end of a recent run delivered a second time. */
    record Finish(int job, int status, boolean again) implements Step {
    }

    @Property(tries = 40)
    void everyAfterRunAnswersOneMatchingEdgeOnce(@ForAll("steps") List<Step> steps) {
        String prefix = "t" + tries++ + "-";
        Map<String, Map<String, Upstream.On>> defined = new TreeMap<>(); // the model: job → its after
        Set<String> fired = new HashSet<>(); // (dependent, upstream run) pairs fired, per incarnation of the dependent
        List<Finish> ends = new ArrayList<>();
        List<String> endRuns = new ArrayList<>();
        int runs = 0;
        for (Step step : steps) {
            ticker.jump(Duration.ofSeconds(1));
            if (step instanceof Define define) {
                String job = prefix + define.job();
                Map<String, Upstream.On> after = new TreeMap<>();
                define.after().forEach((upstream, on) -> after.put(prefix + upstream, on));
                ticker.putJob(job, json(after));
                defined.put(job, after);
            } else if (step instanceof Delete delete) {
                String job = prefix + delete.job();
                ticker.deleteJob(job);
                if (defined.remove(job) != null) {
                    fired.removeIf(pair -> pair.startsWith(job + "|"));
                }
            } else if (step instanceof Finish finish) {
                String upstream;
                String runId;
                String status;
                boolean counts; // the first end of a run the ticker made: only such an end chains
                if (finish.again() && !ends.isEmpty()) {
                    int i = Math.max(0, ends.size() - 1 - finish.job() % 3);
                    upstream = prefix + ends.get(i).job();
                    runId = endRuns.get(i);
                    status = STATUSES[ends.get(i).status()];
                    counts = false;
                } else {
                    upstream = prefix + finish.job();
                    String key = "u" + runs++;
                    runId = DueEvent.manualRunIdFor(upstream, key);
                    status = STATUSES[finish.status()];
                    ends.add(finish);
                    endRuns.add(runId);
                    // the upstream's run, made by its ticker if the job can run (else the trigger is dead-lettered)
                    ticker.command(upstream, JsonCodec.of(Command.class).write(
                            Command.trigger(upstream, "prop", ticker.now(), key)));
                    counts = defined.containsKey(upstream) && fits(upstream, defined);
                    assertThat(ticker.due()).extracting(DueEvent::runId).as("the upstream's run")
                            .isEqualTo(counts ? List.of(runId) : List.of());
                }
                ticker.command(upstream, JsonCodec.of(Command.class).write(
                        Command.runFinished(upstream, runId, status, ticker.now())));

                Set<String> expected = new HashSet<>();
                for (var entry : defined.entrySet()) {
                    Upstream.On on = entry.getValue().get(upstream);
                    if (counts && on != null && on.matches(status) && fits(entry.getKey(), defined)
                            && !fired.contains(entry.getKey() + "|" + runId)) {
                        expected.add(DueEvent.afterRunIdFor(entry.getKey(), runId));
                        fired.add(entry.getKey() + "|" + runId);
                    }
                }
                List<DueEvent> due = ticker.due();
                assertThat(due).allSatisfy(event -> {
                    assertThat(event.trigger()).isEqualTo(Trigger.AFTER);
                    assertThat(event.triggeredBy()).isEqualTo(runId);
                });
                assertThat(due).extracting(DueEvent::runId).as("after %s %s of %s", status, runId, defined)
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
        }
        assertThat(ticker.due()).isEmpty();
    }

    /** Every upstream of {@code job} is defined and {@code job} is not on a cycle. */
    private static boolean fits(String job, Map<String, Map<String, Upstream.On>> defined) {
        if (!defined.keySet().containsAll(defined.get(job).keySet())) {
            return false;
        }
        // dependents of x: the jobs whose after names x
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(job));
        while (!todo.isEmpty()) {
            String x = todo.remove(todo.size() - 1);
            for (var entry : defined.entrySet()) {
                if (entry.getValue().containsKey(x)) {
                    if (entry.getKey().equals(job)) {
                        return false;
                    }
                    if (seen.add(entry.getKey())) {
                        todo.add(entry.getKey());
                    }
                }
            }
        }
        return true;
    }

    private static String json(Map<String, Upstream.On> after) {
        List<String> entries = new ArrayList<>();
        after.forEach((jobId, on) -> entries.add("{\"jobId\": \"" + jobId + "\", \"on\": \"" + on + "\"}"));
        return "{\"scheduleType\": \"Manual\", \"after\": [" + String.join(", ", entries) + "]}";
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> job = Arbitraries.integers().between(0, JOBS - 1);
        Arbitrary<Step> define = Combinators.combine(job,
                        Arbitraries.maps(job, Arbitraries.of(Upstream.On.class)).ofMaxSize(JOBS - 1))
                .as((j, after) -> {
                    Map<Integer, Upstream.On> withoutSelf = new HashMap<>(after);
                    withoutSelf.remove(j);
                    return new Define(j, withoutSelf);
                });
        Arbitrary<Step> delete = job.map(Delete::new);
        Arbitrary<Step> finish = Combinators.combine(job, Arbitraries.integers().between(0, 1),
                Arbitraries.of(false, false, true)).as(Finish::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, define), net.jqwik.api.Tuple.of(1, delete), net.jqwik.api.Tuple.of(6, finish))
                .list().ofMinSize(1).ofMaxSize(30);
    }
}
