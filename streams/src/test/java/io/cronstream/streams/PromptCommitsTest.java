package io.cronstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;

/**
 * Output that asks for a prompt commit gets one within {@link PromptCommits#GAP}, however outputs are spread in
 * time, and a steady stream of them never asks more than twice per gap (so the stream thread does not commit after
 * every record); nothing asks without output.
 */
class PromptCommitsTest {

    private static final long GAP = PromptCommits.GAP.toMillis();

    /** Generated gaps between outputs, in ms: bursts (0), close ones, and quiet stretches longer than the gap. */
    @Provide
    Arbitrary<List<Integer>> pauses() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, (int) GAP)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between((int) GAP, 1_000)))
                .list().ofMinSize(1).ofMaxSize(200);
    }

    @Property(tries = 500)
    void everyOutputIsCommittedWithinTheGapAndRequestsStayRare(@ForAll("pauses") List<Integer> pauses,
            @ForAll("offsets") int firstPunctuation) {
        Simulation sim = new Simulation(firstPunctuation);
        List<Long> outputs = new ArrayList<>();
        for (int pause : pauses) {
            sim.advanceTo(sim.now + pause);
            outputs.add(sim.now);
            sim.output();
        }
        sim.advanceTo(sim.now + 2 * GAP);

        for (long output : outputs) {
            assertThat(sim.asks).as("an ask within %d ms after the output at %d ms", GAP, output)
                    .anyMatch(ask -> ask >= output && ask <= output + GAP);
        }
        for (long ask : sim.asks) {
            assertThat(sim.asks.stream().filter(other -> other >= ask && other < ask + GAP).count())
                    .as("asks in the gap from %d ms", ask).isLessThanOrEqualTo(2);
            long previous = sim.asks.stream().filter(other -> other < ask).mapToLong(Long::longValue).max()
                    .orElse(Long.MIN_VALUE);
            assertThat(outputs).as("an output before the ask at %d ms, after the previous ask", ask)
                    .anyMatch(output -> output <= ask && output >= previous);
        }
    }

    @Provide
    Arbitrary<Integer> offsets() {
        return Arbitraries.integers().between(1, (int) GAP);
    }

    @Example
    void aLoneOutputAsksAtOnceAndQuietAsksNothing() {
        Simulation sim = new Simulation(50);
        sim.advanceTo(1_000);
        assertThat(sim.asks).isEmpty();

        sim.output();
        assertThat(sim.asks).containsExactly(1_000L);
        sim.advanceTo(5_000);
        assertThat(sim.asks).containsExactly(1_000L);
    }

    @Example
    void outputsCloseTogetherAskOnceAtOnceThenOnceAtThePunctuation() {
        Simulation sim = new Simulation(50);
        sim.advanceTo(1_000);
        sim.output();
        sim.advanceTo(1_010);
        sim.output();
        sim.advanceTo(1_020);
        sim.output();
        sim.advanceTo(1_200);
        assertThat(sim.asks).containsExactly(1_000L, 1_050L);
    }

    /** A processor's context under a simulated wall clock, firing the punctuator as Kafka Streams would. */
    private static final class Simulation {
        final MockProcessorContext<Object, Object> context = new MockProcessorContext<>(quiet());
        final PromptCommits commits;
        final CapturedPunctuator punctuator;
        final List<Long> asks = new ArrayList<>();
        long now;
        long nextPunctuation;

        Simulation(long firstPunctuation) {
            context.setCurrentSystemTimeMs(0);
            commits = PromptCommits.schedule(context);
            assertThat(context.scheduledPunctuators()).hasSize(1);
            punctuator = context.scheduledPunctuators().get(0);
            assertThat(punctuator.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
            assertThat(punctuator.getInterval()).isEqualTo(PromptCommits.GAP);
            nextPunctuation = firstPunctuation;
        }

        private static java.util.Properties quiet() {
            java.util.Properties props = new java.util.Properties();
            props.put(org.apache.kafka.streams.StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
            return props;
        }

        void advanceTo(long until) {
            while (nextPunctuation <= until) {
                now = nextPunctuation;
                context.setCurrentSystemTimeMs(now);
                punctuator.getPunctuator().punctuate(now);
                recordAsk();
                nextPunctuation += GAP;
            }
            now = until;
            context.setCurrentSystemTimeMs(now);
        }

        void output() {
            commits.soon();
            recordAsk();
        }

        private void recordAsk() {
            if (context.committed()) {
                asks.add(now);
                context.resetCommit();
            }
        }
    }
}
