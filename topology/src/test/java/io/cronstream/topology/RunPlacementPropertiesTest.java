package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.topology.runs.RunPlacement;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

/**
 * A worker's event is folded where it is read when that partition owns its run, and crosses a repartition
 * otherwise: whichever way it goes, the run comes out the same, and the owner is the partition Kafka's own
 * partitioner picks for the runId (so repartitions, interactive queries and Java producers agree).
 */
class RunPlacementPropertiesTest {

    /** Every run in the driver's one partition: nothing crosses. */
    private static ProgressDriver inPlace;
    /** Three run partitions: the runs the driver's partition 0 does not own cross the repartition. */
    private static ProgressDriver spread;
    private static int tries;

    @BeforeContainer
    static void start() {
        inPlace = new ProgressDriver();
        spread = new ProgressDriver(ProgressConfig.defaults().with(b -> b.runPartitions(3)));
    }

    @AfterContainer
    static void stop() {
        inPlace.close();
        spread.close();
    }

    @Property(tries = 2000)
    void theOwnerIsThePartitionKafkasPartitionerPicks(@ForAll String runId, @ForAll @IntRange(min = 1, max = 500) int n) {
        assertThat(RunPlacement.ownerOf(runId, n))
                .isEqualTo(BuiltInPartitioner.partitionForKey(runId.getBytes(StandardCharsets.UTF_8), n));
    }

    /** One worker's event: which run, what it says. */
    record Step(int run, ProgressKind kind, int stage, long amount) {
    }

    @Property(tries = 60)
    void aRunFoldsTheSameWhetherItsEventsCrossARepartitionOrNot(@ForAll("steps") List<Step> steps) {
        int attempt = tries++;
        Instant t = inPlace.now();
        Set<String> runs = new LinkedHashSet<>();
        List<StageProgressEvent> events = new ArrayList<>();
        for (Step step : steps) {
            String runId = "try-" + attempt + "-run-" + step.run();
            runs.add(runId);
            String stage = "stage-" + step.stage();
            events.add(switch (step.kind()) {
                case STAGE_STARTED -> Events.stageStarted(runId, stage, step.amount(), t);
                case PROGRESS -> Events.increment(runId, stage, step.amount(), t);
                case STAGE_COMPLETED, STAGE_FAILED -> Events.stage(runId, stage, step.kind(), t);
                case RUN_STARTED, RUN_COMPLETED, RUN_FAILED, HEARTBEAT -> Events.run(runId, step.kind(), null, t);
            });
        }
        inPlace.progress(events);
        spread.progress(events);

        long crossing = events.stream().filter(e -> RunPlacement.ownerOf(e.runId(), 3) != 0).count();
        assertThat(spread.repartition(ProgressTopology.STAGE_PROGRESS_BY_RUN_REPARTITION).readValuesToList())
                .hasSize((int) crossing);
        assertThat(inPlace.repartition(ProgressTopology.STAGE_PROGRESS_BY_RUN_REPARTITION).readValuesToList()).isEmpty();
        for (String runId : runs) {
            assertThat(spread.run(runId)).as(runId).isEqualTo(inPlace.run(runId));
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<ProgressKind> kinds = Arbitraries.of(ProgressKind.RUN_STARTED, ProgressKind.STAGE_STARTED,
                ProgressKind.PROGRESS, ProgressKind.PROGRESS, ProgressKind.PROGRESS, ProgressKind.STAGE_COMPLETED,
                ProgressKind.STAGE_FAILED, ProgressKind.HEARTBEAT, ProgressKind.RUN_COMPLETED, ProgressKind.RUN_FAILED);
        return Combinators.combine(Arbitraries.integers().between(0, 7), kinds, Arbitraries.integers().between(0, 2),
                Arbitraries.longs().between(1, 20)).as(Step::new).list().ofMinSize(1).ofMaxSize(60);
    }
}
