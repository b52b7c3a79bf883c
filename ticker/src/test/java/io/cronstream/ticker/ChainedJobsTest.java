package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Trigger;
import io.cronstream.ticker.job.Upstream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 16: {@code after} chains a job to another's runs through the job graph and AFTER commands. */
class ChainedJobsTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");

    private final TickerHarness ticker = new TickerHarness(START);
    private final TestOutputTopic<String, String> graphTopic = ticker.driver.createOutputTopic(
            TickerHarness.TOPICS.jobGraph(), new StringDeserializer(), new StringDeserializer());

    private final TestOutputTopic<String, Command> commandsOut = ticker.driver.createOutputTopic(
            TickerHarness.TOPICS.commands(), new StringDeserializer(), JsonCodec.of(Command.class).serde().deserializer());

    @AfterEach
    void close() {
        ticker.close();
    }

    /** The AFTER commands the ticker wrote to the commands topic (the test's own input is not among them). */
    private List<Command> afterCommands() {
        return commandsOut.readValuesToList().stream().filter(c -> c.type() == io.cronstream.schemas.CommandType.AFTER)
                .toList();
    }

    private JobGraph graph() {
        KeyValueStore<String, String> store = ticker.driver.getKeyValueStore(TickerTopology.GRAPH_STORE);
        return new JobGraph(store);
    }

    private void finished(String jobId, String runId, String status) {
        ticker.command(jobId, JsonCodec.of(Command.class).write(Command.runFinished(jobId, runId, status, ticker.now())));
    }

    /** Triggers {@code jobId} by hand and returns its run. */
    private String run(String jobId) {
        ticker.trigger(jobId, "alice");
        List<DueEvent> due = ticker.due();
        assertThat(due).hasSize(1);
        return due.get(0).runId();
    }

    private static String chained(String upstream, String on) {
        return "{\"scheduleType\": \"Manual\", \"after\": [{\"jobId\": \"" + upstream + "\", \"on\": \"" + on + "\"}]}";
    }

    @Test
    void jobsStoredBeforeTheGraphExistedGetTheirRecordsOnceFromTheBackfill() {
        ticker.putJob("extract", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("load", chained("extract", "COMPLETED"));
        ticker.jump(Duration.ofSeconds(1)); // the first punctuation: the backfill finds every job written already
        // the state of a store from before the graph: no graph records, no backfill cursor
        ticker.driver.<org.apache.kafka.common.utils.Bytes, byte[]>getKeyValueStore(TickerTopology.NAMES_STORE)
                .delete(GraphBackfill.CURSOR);
        KeyValueStore<String, String> store = ticker.driver.getKeyValueStore(TickerTopology.GRAPH_STORE);
        List.of(JobGraph.markerKey("extract"), JobGraph.markerKey("load"), JobGraph.edgeKey("extract", "load"))
                .forEach(store::delete);
        graphTopic.readRecordsToList();
        assertThat(graph().problem("load", List.of(new Upstream("extract", Upstream.On.COMPLETED))))
                .hasValue("after: job 'extract' is not known");

        ticker.jump(Duration.ofSeconds(1));
        assertThat(graphTopic.readKeyValuesToMap()).containsEntry(JobGraph.markerKey("extract"), JobGraph.MARKER)
                .containsEntry(JobGraph.markerKey("load"), JobGraph.MARKER)
                .containsEntry(JobGraph.edgeKey("extract", "load"), "COMPLETED");
        assertThat(graph().problem("load", List.of(new Upstream("extract", Upstream.On.COMPLETED)))).isEmpty();
        assertThat(graph().dependents("extract")).isNotEmpty();

        ticker.jump(Duration.ofSeconds(1));
        assertThat(graphTopic.readRecordsToList()).as("written once, then never again").isEmpty();
    }

    @Test
    void aJobChainedAfterAnotherFiresOnceWhenItsRunCompletes() {
        ticker.putJob("extract", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("load", chained("extract", "COMPLETED"));
        String upstreamRun = run("extract");

        ticker.jump(Duration.ofSeconds(5));
        finished("extract", upstreamRun, "COMPLETED");

        List<DueEvent> due = ticker.due();
        assertThat(due).hasSize(1);
        DueEvent after = due.get(0);
        assertThat(after.jobId()).isEqualTo("load");
        assertThat(after.trigger()).isEqualTo(Trigger.AFTER);
        assertThat(after.runId()).isEqualTo(DueEvent.afterRunIdFor("load", upstreamRun));
        assertThat(after.triggeredBy()).isEqualTo(upstreamRun);
        assertThat(after.scheduledFor()).isEqualTo(ticker.now());
        assertThat(after.attempt()).isEqualTo(1);
        assertThat(ticker.metric("fires-after-total")).isEqualTo(1);
    }

    @Test
    void theUpstreamsEndDeliveredTwiceMakesOneRun() {
        ticker.putJob("extract", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("load", chained("extract", "COMPLETED"));
        String upstreamRun = run("extract");
        finished("extract", upstreamRun, "COMPLETED");
        ticker.jump(Duration.ofSeconds(30));
        finished("extract", upstreamRun, "COMPLETED");

        assertThat(ticker.due()).extracting(DueEvent::runId)
                .containsExactly(DueEvent.afterRunIdFor("load", upstreamRun));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            COMPLETED | COMPLETED | true
            COMPLETED | FAILED    | false
            FAILED    | FAILED    | true
            FAILED    | COMPLETED | false
            ANY       | COMPLETED | true
            ANY       | FAILED    | true
            """)
    void theOutcomeMustMatchOn(String on, String status, boolean fires) {
        ticker.putJob("extract", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("cleanup", chained("extract", on));
        String upstreamRun = run("extract");
        finished("extract", upstreamRun, status);

        assertThat(ticker.due()).extracting(DueEvent::jobId).containsExactlyElementsOf(
                fires ? List.of("cleanup") : List.of());
        assertThat(ticker.deadLetters()).isEmpty();
        // decided where the run ended: no command is sent for an outcome the dependent does not wait for
        assertThat(afterCommands()).extracting(Command::jobId, Command::runId, Command::status).containsExactlyElementsOf(
                fires ? List.of(org.assertj.core.groups.Tuple.tuple("cleanup", upstreamRun, status)) : List.of());
    }

    @Test
    void aChainRunsThroughToTheEndAndEveryJobChainedAfterTheSameRunFires() {
        ticker.putJob("a", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("b", chained("a", "COMPLETED"));
        ticker.putJob("c", chained("a", "ANY"));
        ticker.putJob("d", chained("b", "COMPLETED"));
        String aRun = run("a");
        finished("a", aRun, "COMPLETED");
        List<DueEvent> second = ticker.due();
        assertThat(second).extracting(DueEvent::jobId).containsExactlyInAnyOrder("b", "c");

        String bRun = second.stream().filter(e -> e.jobId().equals("b")).findFirst().orElseThrow().runId();
        finished("b", bRun, "COMPLETED");
        assertThat(ticker.due()).extracting(DueEvent::runId).containsExactly(DueEvent.afterRunIdFor("d", bRun));
    }

    /** followUp is left out (null) on the wire when false. */
    @Test
    void dueEventsOfAJobOthersAreChainedAfterAskForItsEnd() {
        ticker.putJob("extract", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("alone", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("load", chained("extract", "COMPLETED"));
        ticker.trigger("extract", "alice");
        ticker.trigger("alone", "alice");
        assertThat(ticker.due()).extracting(DueEvent::jobId, DueEvent::followUp).containsExactly(
                org.assertj.core.groups.Tuple.tuple("extract", true), org.assertj.core.groups.Tuple.tuple("alone", null));
    }

    @Test
    void aCycleIsAProblemOfItsJobsAndNeverLoops() {
        ticker.putJob("a", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("b", chained("a", "ANY"));
        assertThat(graph().problem("b", List.of(new Upstream("a", Upstream.On.ANY)))).isEmpty();
        String aRun = run("a"); // started before the cycle closed
        ticker.putJob("a", chained("b", "ANY"));

        assertThat(graph().problem("a", List.of(new Upstream("b", Upstream.On.ANY))))
                .contains("after: cycle a → b → a");
        // every job of a cycle is in it: fixing either one breaks it
        assertThat(graph().problem("b", List.of(new Upstream("a", Upstream.On.ANY))))
                .contains("after: cycle b → a → b");

        finished("a", aRun, "COMPLETED");
        assertThat(ticker.due()).isEmpty();
        List<TestRecord<byte[], byte[]>> dead = ticker.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(TickerHarness.header(dead.get(0), io.cronstream.schemas.DeadLetter.ERROR))
                .contains("job 'b' cannot run after " + aRun + ": after: cycle b → a → b");
    }

    @Test
    void aJobWithAGraphProblemIsNotTriggeredByHand() {
        ticker.putJob("load", chained("extract", "COMPLETED"));
        ticker.trigger("load", "alice");
        assertThat(ticker.due()).isEmpty();
        assertThat(ticker.deadLetters()).extracting(r -> TickerHarness.header(r, io.cronstream.schemas.DeadLetter.ERROR))
                .singleElement().asString().contains("job 'load' cannot be triggered: after: job 'extract' is not known");
    }

    @Test
    void aLongerCycleIsFoundWithItsPath() {
        ticker.putJob("a", chained("c", "COMPLETED"));
        ticker.putJob("b", chained("a", "COMPLETED"));
        ticker.putJob("c", chained("b", "COMPLETED"));
        assertThat(graph().problem("c", List.of(new Upstream("b", Upstream.On.COMPLETED))))
                .contains("after: cycle c → a → b → c");
    }

    @Test
    void anUnknownUpstreamIsAProblemUntilItIsDefined() {
        ticker.putJob("load", chained("extract", "COMPLETED"));
        List<Upstream> after = List.of(new Upstream("extract", Upstream.On.COMPLETED));
        assertThat(graph().problem("load", after)).contains("after: job 'extract' is not known");

        ticker.putJob("extract", "{\"scheduleType\": \"Manual\"}");
        assertThat(graph().problem("load", after)).isEmpty();

        ticker.deleteJob("extract");
        assertThat(graph().problem("load", after)).contains("after: job 'extract' is not known");
    }

    @Test
    void aScheduledJobChainedAfterAnUnknownJobDoesNotFire() {
        ticker.putJob("report", "{\"cron\": \"*/10 * * * *\", \"after\": [{\"jobId\": \"ghost\"}]}");
        ticker.runUntil(START.plus(Duration.ofMinutes(11)), Duration.ofMinutes(1));
        assertThat(ticker.due()).isEmpty();
        assertThat(ticker.metric("chain-skipped-total")).isEqualTo(1);

        ticker.putJob("ghost", "{\"scheduleType\": \"Manual\"}");
        ticker.runUntil(START.plus(Duration.ofMinutes(21)), Duration.ofMinutes(1));
        assertThat(ticker.dueTimes()).containsExactly(Instant.parse("2026-01-05T10:20:00Z"));
    }

    @Test
    void editsAndDeletesTombstoneTheEdgesTheJobNoLongerHas() {
        ticker.putJob("a", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("b", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("c", "{\"scheduleType\": \"Manual\", \"after\": [{\"jobId\": \"a\"}, {\"jobId\": \"b\", \"on\": \"FAILED\"}]}");
        assertThat(graph().dependents("a")).containsExactly(new JobGraph.Dependent("c", Upstream.On.COMPLETED));
        assertThat(graph().dependents("b")).containsExactly(new JobGraph.Dependent("c", Upstream.On.FAILED));
        graphTopic.readRecordsToList();

        ticker.putJob("c", "{\"scheduleType\": \"Manual\", \"after\": [{\"jobId\": \"b\", \"on\": \"ANY\"}]}");
        assertThat(graphTopic.readKeyValuesToMap()).containsEntry("a\u0000c", null).containsEntry("b\u0000c", "ANY")
                .containsEntry("c", "");
        assertThat(graph().dependents("a")).isEmpty();

        ticker.deleteJob("c");
        assertThat(graphTopic.readKeyValuesToMap()).containsEntry("b\u0000c", null).containsEntry("c", null);
        assertThat(graph().dependents("b")).isEmpty();
        assertThat(graph().known("c")).isFalse();
        assertThat(graph().known("a")).isTrue();

        // an upstream's deletion leaves the edges of the jobs chained after it: their after still names it
        ticker.putJob("d", chained("a", "COMPLETED"));
        ticker.deleteJob("a");
        assertThat(graph().dependents("a")).containsExactly(new JobGraph.Dependent("d", Upstream.On.COMPLETED));
    }

    @Test
    void aDisabledOrPausedJobIsNotFiredByItsUpstream() {
        ticker.putJob("extract", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("off", "{\"scheduleType\": \"Manual\", \"enabled\": false, \"after\": [{\"jobId\": \"extract\"}]}");
        ticker.putJob("held", "{\"scheduleType\": \"Manual\", \"pausedBy\": \"bob\", \"after\": [{\"jobId\": \"extract\"}]}");
        ticker.putJob("later", "{\"scheduleType\": \"Manual\", \"pausedUntil\": \"2026-01-05T11:00:00Z\", "
                + "\"after\": [{\"jobId\": \"extract\"}]}");
        finished("extract", run("extract"), "COMPLETED");
        assertThat(ticker.due()).isEmpty();
        assertThat(ticker.deadLetters()).isEmpty();

        ticker.jump(Duration.ofHours(1));
        finished("extract", run("extract"), "COMPLETED");
        assertThat(ticker.due()).extracting(DueEvent::jobId).containsExactly("later");
    }

    @Test
    void anAfterCommandForAnUnknownOrInvalidJobIsDeadLettered() {
        ticker.putJob("broken", "{\"cron\": \"* * *\", \"after\": [{\"jobId\": \"x\"}]}");
        ticker.command("nobody", write(Command.after("nobody", "x@1", "COMPLETED", ticker.now())));
        ticker.command("broken", write(Command.after("broken", "x@1", "COMPLETED", ticker.now())));
        assertThat(ticker.deadLetters()).extracting(r -> TickerHarness.header(r, io.cronstream.schemas.DeadLetter.ERROR))
                .satisfiesExactly(
                        reason -> assertThat(reason).contains("job 'nobody' is not known"),
                        reason -> assertThat(reason).contains("job 'broken' is invalid and cannot run after x@1"));
        assertThat(ticker.due()).isEmpty();
    }

    @Test
    void anAfterCommandForAJobNoLongerChainedAfterThatUpstreamDoesNotFire() {
        ticker.putJob("x", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("y", chained("x", "FAILED"));
        ticker.command("y", write(Command.after("y", "x@1", "COMPLETED", ticker.now())));
        ticker.command("y", write(Command.after("y", "other@1", "FAILED", ticker.now())));
        assertThat(ticker.due()).isEmpty();
        ticker.command("y", write(Command.after("y", "x@1", "FAILED", ticker.now())));
        assertThat(ticker.due()).extracting(DueEvent::runId).containsExactly(DueEvent.afterRunIdFor("y", "x@1"));
    }

    private static byte[] write(Command command) {
        return JsonCodec.of(Command.class).write(command);
    }
}
