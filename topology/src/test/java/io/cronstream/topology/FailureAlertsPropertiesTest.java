package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.streams.test.TestRecord;

/**
 * For any mix of due events (with and without runTimeout / startDeadline, some repeated), worker events (some
 * repeated, some before the due event) and clock steps: every run raises each alert kind at most once on
 * cronstream.alerts, TIMED_OUT only for a run no worker had ended by its deadline (and always for one past it),
 * MISSED only for a run no worker event followed within its startDeadline, FAILED exactly for the runs that are
 * FAILED (and whose job is known), and the activity index holds exactly each watched run's earliest deadline.
 * A model of each run, kept from what the test sent, is what the alerts are checked against.
 */
class FailureAlertsPropertiesTest {

    static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    static final Duration START_DEADLINE = Duration.ofSeconds(40);
    static final Duration SCAN = ProgressConfig.defaults().stuckScanInterval();

    record Step(Kind kind, int run, long millisLater) {
    }

    enum Kind { DUE, DUE_TIMEOUT, DUE_DEADLINE, DUE_BOTH, STARTED, HEARTBEAT, PROGRESS, COMPLETED, FAILED }

    /** What the test knows of one run from what it sent. */
    static final class Model {
        Instant createdAt;
        boolean due;
        /** When the due event arrived: no deadline of the run is watched before. */
        Instant dueAt;
        Duration runTimeout;
        Duration startDeadline;
        Instant startedAt;
        Instant firstEventAt;
        Instant endedByWorkerAt;
        boolean timedOut;

        Instant timeoutDeadline() {
            return (startedAt != null ? startedAt : createdAt).plus(runTimeout);
        }

        boolean ended() {
            return endedByWorkerAt != null || timedOut;
        }
    }

    private static ProgressDriver driver;
    private static int tries;
    /** Every (runId, kind) raised so far, over all tries: the driver and its runs live for the whole class. */
    private static final Set<String> raised = new HashSet<>();
    private static final Map<String, Model> models = new HashMap<>();

    @BeforeContainer
    static void start() {
        driver = new ProgressDriver();
    }

    @AfterContainer
    static void stop() {
        driver.close();
    }

    @Property(tries = 100)
    void eachRunRaisesEachKindAtMostOnceAndOnlyWhenDue(@ForAll("steps") List<Step> steps) {
        int attempt = tries++;
        Instant firstFire = driver.now();
        for (Step step : steps) {
            String job = "fail-" + attempt + "-" + step.run();
            String runId = DueEvent.runIdFor(job, firstFire);
            Instant now = driver.now();
            Model model = models.computeIfAbsent(runId, id -> new Model());
            if (model.createdAt == null) {
                model.createdAt = now;
            }
            send(step.kind(), job, runId, firstFire, now, model);
            checkAlerts(driver.notices());
            driver.advance(Duration.ofMillis(step.millisLater()));
            checkAlerts(driver.notices());
            checkState();
        }
    }

    private static void send(Kind kind, String job, String runId, Instant firstFire, Instant now, Model model) {
        switch (kind) {
            case DUE, DUE_TIMEOUT, DUE_DEADLINE, DUE_BOTH -> {
                Duration timeout = kind == Kind.DUE_TIMEOUT || kind == Kind.DUE_BOTH ? RUN_TIMEOUT : null;
                Duration deadline = kind == Kind.DUE_DEADLINE || kind == Kind.DUE_BOTH ? START_DEADLINE : null;
                driver.due(Events.due(job, firstFire, Trigger.SCHEDULE, null)
                        .with(b -> b.runTimeout(timeout).startDeadline(deadline)));
                if (!model.due) { // a second due event of the same run changes nothing
                    model.due = true;
                    model.dueAt = now;
                    model.runTimeout = timeout;
                    model.startDeadline = deadline;
                }
            }
            case STARTED, PROGRESS -> {
                driver.progress(kind == Kind.STARTED ? Events.runStarted(runId, now)
                        : Events.increment(runId, "work", now));
                worker(model, now);
                if (!model.ended() && model.startedAt == null) {
                    model.startedAt = now;
                }
            }
            case HEARTBEAT -> {
                driver.progress(Events.heartbeat(runId, now));
                worker(model, now);
            }
            case COMPLETED, FAILED -> {
                driver.progress(Events.run(runId, kind == Kind.COMPLETED ? ProgressKind.RUN_COMPLETED
                        : ProgressKind.RUN_FAILED, "done", now));
                worker(model, now);
                if (!model.ended()) {
                    model.endedByWorkerAt = now;
                }
            }
        }
    }

    private static void worker(Model model, Instant now) {
        if (model.firstEventAt == null) {
            model.firstEventAt = now;
        }
    }

    private static void checkAlerts(List<TestRecord<String, Alert>> notices) {
        for (TestRecord<String, Alert> notice : notices) {
            Alert alert = notice.value();
            Model model = models.get(alert.runId());
            assertThat(notice.key()).isEqualTo(alert.jobId());
            assertThat(raised.add(alert.runId() + " " + alert.kind())).as("one %s for %s", alert.kind(), alert.runId())
                    .isTrue();
            if (alert.kind() == AlertKind.TIMED_OUT) {
                assertThat(model.runTimeout).isNotNull();
                assertThat(model.endedByWorkerAt).as("a worker had ended %s", alert.runId()).isNull();
                assertThat(alert.at()).isAfter(model.timeoutDeadline());
                model.timedOut = true;
            }
            if (alert.kind() == AlertKind.MISSED) {
                assertThat(model.startDeadline).isNotNull();
                assertThat(model.firstEventAt).as("a worker event had followed %s", alert.runId()).isNull();
                assertThat(alert.at()).isAfter(model.createdAt.plus(model.startDeadline));
            }
            if (alert.kind() == AlertKind.FAILED) {
                assertThat(driver.run(alert.runId()).status()).isEqualTo(RunStatus.FAILED);
            }
        }
    }

    private static void checkState() {
        Instant now = driver.now();
        Set<String> failed = new TreeSet<>();
        Set<String> failedAlerts = new TreeSet<>();
        models.forEach((runId, model) -> {
            RunSnapshot run = driver.run(runId);
            if (run == null) {
                return;
            }
            if (run.status() == RunStatus.FAILED && run.jobId() != null) {
                failed.add(runId);
            }
            if (raised.contains(runId + " " + AlertKind.FAILED)) {
                failedAlerts.add(runId);
            }
            if (model.runTimeout != null && model.endedByWorkerAt == null
                    && now.isAfter(latest(model.timeoutDeadline(), model.dueAt).plus(SCAN))) {
                assertThat(run.failureReason()).as("%s is past its timeout", runId).isEqualTo("TIMED_OUT");
            }
            if (model.startDeadline != null && model.firstEventAt == null && !model.ended()
                    && now.isAfter(latest(model.createdAt.plus(model.startDeadline), model.dueAt).plus(SCAN))) {
                assertThat(raised).as("%s is past its start deadline", runId).contains(runId + " " + AlertKind.MISSED);
            }
        });
        assertThat(failedAlerts).isEqualTo(failed);
        assertThat(driver.activityIndex()).isEqualTo(driver.activityByReadingAll());
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> later = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(0, 15_000)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(15_000, 120_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(120_000, 600_000)));
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 3), later)
                .as(Step::new).list().ofMinSize(1).ofMaxSize(40);
    }
}
