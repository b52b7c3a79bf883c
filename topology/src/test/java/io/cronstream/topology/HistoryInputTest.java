package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.Trigger;
import io.cronstream.streams.JobPresence;
import io.cronstream.topology.history.HistoryInput;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code progress-run-status-by-job} carries run snapshots as it always did, so records written before job
 * presence existed still read after an upgrade, and presence beside them.
 */
class HistoryInputTest {

    private static final String TOPIC = "cronstream-progress-run-status-by-job-repartition";

    @Test
    void aRunTravelsAsTheSameBytesAsBeforeAndAPresenceIsToldApart() {
        RunSnapshot run;
        try (ProgressDriver driver = new ProgressDriver()) {
            driver.due(Events.due("nightly", driver.now(), Trigger.SCHEDULE, null));
            run = driver.statuses().get(0);
        }
        byte[] asBefore = JsonCodec.of(RunSnapshot.class).write(run);

        assertThat(HistoryInput.SERDE.serializer().serialize(TOPIC, HistoryInput.run(run))).isEqualTo(asBefore);
        assertThat(HistoryInput.SERDE.deserializer().deserialize(TOPIC, asBefore)).isEqualTo(HistoryInput.run(run));

        JobPresence removed = JobPresence.removed("nightly", Instant.parse("2026-03-01T10:00:00Z"));
        byte[] bytes = HistoryInput.SERDE.serializer().serialize(TOPIC, HistoryInput.job(removed));
        assertThat(HistoryInput.SERDE.deserializer().deserialize(TOPIC, bytes)).isEqualTo(HistoryInput.job(removed));
    }
}
