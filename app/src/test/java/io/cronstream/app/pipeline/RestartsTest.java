package io.cronstream.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.api.PipelineStatus;
import io.cronstream.app.alerts.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a failed connector is restarted: at once, then after waits that double up to the longest. */
class RestartsTest {

    private static final Backoff BACKOFF = new Backoff(100, Duration.ofSeconds(5), 2.0, Duration.ofSeconds(40));

    private Instant now = Instant.parse("2026-05-01T00:00:00Z");
    private final Restarts restarts = new Restarts(BACKOFF, new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    });

    @Test
    void aConnectorThatKeepsFailingIsRestartedAfterWaitsThatDoubleUpToTheLongest() {
        List<Long> restartedAt = new ArrayList<>();
        Instant start = now;
        for (int second = 0; second < 200; second++) {
            if (restarts.due(PipelineStatus.FAILED)) {
                restartedAt.add(Duration.between(start, now).toSeconds());
            }
            now = now.plusSeconds(1);
        }
        assertThat(restartedAt).startsWith(0L, 5L, 15L, 35L, 75L, 115L, 155L, 195L);
    }

    @Test
    void onlyAFailureIsRestarted() {
        for (String state : List.of(PipelineStatus.RUNNING, PipelineStatus.PAUSED, PipelineStatus.UNASSIGNED,
                PipelineStatus.UNKNOWN)) {
            assertThat(restarts.due(state)).as(state).isFalse();
        }
        assertThat(restarts.due(PipelineStatus.FAILED)).isTrue();
    }

    @Test
    void theWaitsStartOverOnceTheConnectorRanForTheLongestWait() {
        restarts.due(PipelineStatus.FAILED);
        now = now.plusSeconds(5);
        restarts.due(PipelineStatus.FAILED);
        assertThat(restarts.attempts()).isEqualTo(2);

        now = now.plusSeconds(1);
        restarts.due(PipelineStatus.RUNNING);
        now = now.plusSeconds(39);
        restarts.due(PipelineStatus.RUNNING);
        assertThat(restarts.attempts()).as("ran 39 s: not yet").isEqualTo(2);
        now = now.plusSeconds(1);
        restarts.due(PipelineStatus.RUNNING);
        assertThat(restarts.attempts()).isZero();

        assertThat(restarts.due(PipelineStatus.FAILED)).isTrue();
        assertThat(restarts.waitAfter()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aFailedTaskOutweighsEverythingElseAndAllMustRunForRunning() {
        assertThat(ConnectorRest.combined(List.of("RUNNING", "FAILED"), false)).isEqualTo(PipelineStatus.FAILED);
        assertThat(ConnectorRest.combined(List.of("FAILED"), true)).isEqualTo(PipelineStatus.FAILED);
        assertThat(ConnectorRest.combined(List.of("PAUSED", "PAUSED"), false)).isEqualTo(PipelineStatus.PAUSED);
        assertThat(ConnectorRest.combined(List.of("STOPPED"), true)).isEqualTo(PipelineStatus.PAUSED);
        assertThat(ConnectorRest.combined(List.of("RUNNING"), true)).isEqualTo(PipelineStatus.UNASSIGNED);
        assertThat(ConnectorRest.combined(List.of("RUNNING", "RESTARTING"), false))
                .isEqualTo(PipelineStatus.UNASSIGNED);
        assertThat(ConnectorRest.combined(List.of("RUNNING", "RUNNING"), false)).isEqualTo(PipelineStatus.RUNNING);
    }
}
