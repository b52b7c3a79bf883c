package io.cronstream.topology;

import static io.cronstream.topology.Events.increment;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 13: whatever a worker and the network do to a run's progress events (redeliver one, replay a whole
 * stretch, interleave another run's), each eventId counts once. One driver for the class; each try uses its
 * own runs.
 */
class RunEventIdsPropertiesTest {

    private static ProgressDriver driver;
    private static int tries;

    @BeforeContainer
    static void start() {
        driver = new ProgressDriver();
    }

    @AfterContainer
    static void stop() {
        driver.close();
    }

    /** A delivery: which run, which of its item ids, and how many items it claims (its increment). */
    record Delivery(boolean otherRun, int item, long increment) {
    }

    @Property(tries = 40)
    void eachEventIdCountsOnceHoweverOftenItIsDelivered(@ForAll("deliveries") List<Delivery> sent,
            @ForAll("replays") List<Integer> replayStarts) {
        String run = "run-" + tries;
        String other = "other-" + tries++;
        List<Delivery> deliveries = new ArrayList<>(sent);
        for (int start : replayStarts) {
            // a worker redoing its run from some point: everything from there again, in order
            deliveries.addAll(sent.subList(Math.min(start, sent.size()), sent.size()));
        }
        Instant t = driver.now();
        Set<Integer> seen = new HashSet<>();
        Set<Integer> seenOther = new HashSet<>();
        long expected = 0;
        long expectedOther = 0;
        for (Delivery d : deliveries) {
            String runId = d.otherRun() ? other : run;
            driver.progress(Events.withEventId(increment(runId, "work", d.increment(), t), "work:" + d.item()));
            if (d.otherRun() ? seenOther.add(d.item()) : seen.add(d.item())) {
                if (d.otherRun()) {
                    expectedOther += d.increment();
                } else {
                    expected += d.increment();
                }
            }
        }
        assertThat(completed(run)).isEqualTo(expected);
        assertThat(completed(other)).isEqualTo(expectedOther);
    }

    private long completed(String runId) {
        var snapshot = driver.run(runId);
        return snapshot == null ? 0 : snapshot.stages().get("work").completed();
    }

    @Provide
    Arbitrary<List<Delivery>> deliveries() {
        // the same item always claims the same increment, as a redelivery would
        Arbitrary<Delivery> delivery = Arbitraries.integers().between(0, 200).flatMap(item ->
                Arbitraries.of(true, false).map(otherRun -> new Delivery(otherRun, item, 1 + item % 3)));
        return delivery.list().ofMaxSize(300);
    }

    @Provide
    Arbitrary<List<Integer>> replays() {
        return Arbitraries.integers().between(0, 300).list().ofMaxSize(3);
    }
}
