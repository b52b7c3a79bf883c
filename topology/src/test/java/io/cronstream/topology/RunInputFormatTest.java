package io.cronstream.topology;

import static io.cronstream.topology.Events.increment;
import static io.cronstream.topology.Events.runStarted;
import static io.cronstream.topology.Events.stageStarted;
import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.Trigger;
import io.cronstream.topology.runs.RunInput;
import io.cronstream.topology.runs.RunInputSerde;
import io.cronstream.topology.runs.RunPlacement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade from a Cronstream that reads only JSON on {@code progress-run-inputs}: with the JSON format every
 * record that crosses the repartition is one that version reads, and the runs fold as they do with the binary form.
 */
class RunInputFormatTest {

    private static final JsonCodec<RunInput> JSON_ONLY_READER = JsonCodec.of(RunInput.class);

    @Test
    void theJsonFormatWritesOnlyWhatAJsonReaderReadsAndFoldsTheSameRuns() {
        Folded json = fold(RunInputSerde.Format.JSON);
        Folded binary = fold(RunInputSerde.Format.BINARY);

        assertThat(json.crossed).isNotEmpty().allSatisfy(bytes -> {
            assertThat(bytes[0]).isEqualTo((byte) '{');
            RunInput read = JSON_ONLY_READER.read(bytes);
            assertThat(read.runId()).isNotNull();
        });
        assertThat(json.crossed).hasSize(5); // the due event and the four workers' events
        assertThat(binary.crossed).anySatisfy(bytes -> assertThat(bytes[0]).isZero());
        assertThat(json.run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(json.run.stages().get("scan").completed()).isEqualTo(2);
        assertThat(json.run).isEqualTo(binary.run);
    }

    private static DueEvent dueOwnedElsewhere() {
        for (int i = 0; ; i++) {
            DueEvent due = Events.due("scan-job-" + i, Instant.parse("2026-03-01T10:00:00Z"), Trigger.SCHEDULE, null);
            if (RunPlacement.ownerOf(due.runId(), 2) == 1) {
                return due;
            }
        }
    }

    private record Folded(List<byte[]> crossed, RunSnapshot run) {
    }

    private static Folded fold(RunInputSerde.Format format) {
        // Two run partitions, and a run the driver's one partition does not own: its workers' events cross a repartition.
        try (ProgressDriver driver = new ProgressDriver(ProgressConfig.defaults()
                .with(b -> b.runInputFormat(format).runPartitions(2)))) {
            DueEvent due = dueOwnedElsewhere();
            String runId = due.runId();
            Instant t = driver.now();
            driver.due(due);
            List<StageProgressEvent> events = List.of(runStarted(runId, t), stageStarted(runId, "scan", 5, t),
                    increment(runId, "scan", t.plusSeconds(1)), increment(runId, "scan", t.plusSeconds(2)));
            driver.progress(events);
            List<byte[]> crossed = new ArrayList<>();
            driver.repartition(ProgressTopology.RUN_INPUTS_REPARTITION).readValuesToList().forEach(crossed::add);
            driver.repartition(ProgressTopology.STAGE_PROGRESS_BY_RUN_REPARTITION).readValuesToList()
                    .forEach(crossed::add);
            return new Folded(crossed, driver.run(runId));
        }
    }
}
