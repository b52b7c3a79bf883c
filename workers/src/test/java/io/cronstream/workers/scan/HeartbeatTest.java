package io.cronstream.workers.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // beats only have to run while the block does
class HeartbeatTest {

    @Test
    void beatsWhileALongItemRunsAndStopsWhenItEnds() throws Exception {
        AtomicInteger beats = new AtomicInteger();
        CountDownLatch threeBeats = new CountDownLatch(3);
        try (Heartbeat heartbeat = new Heartbeat(Duration.ofMillis(20))) {
            try (Heartbeat.Beats item = heartbeat.during(() -> {
                beats.incrementAndGet();
                threeBeats.countDown();
            })) {
                assertThat(threeBeats.await(10, TimeUnit.SECONDS)).as("beats during a long item").isTrue();
            }
            int afterTheItem = beats.get();
            // a second item that beats proves the timer still runs; the first one's beats must have stopped
            CountDownLatch otherBeats = new CountDownLatch(3);
            try (Heartbeat.Beats other = heartbeat.during(otherBeats::countDown)) {
                assertThat(otherBeats.await(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(beats.get()).isLessThanOrEqualTo(afterTheItem + 1);
        }
    }

    @Test
    void aFailingBeatDoesNotStopTheNextOnes() throws Exception {
        CountDownLatch beats = new CountDownLatch(3);
        try (Heartbeat heartbeat = new Heartbeat(Duration.ofMillis(10));
             Heartbeat.Beats item = heartbeat.during(() -> {
                 beats.countDown();
                 throw new IllegalStateException("broker away");
             })) {
            assertThat(beats.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
