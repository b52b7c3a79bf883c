package io.cronstream.workers.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DebouncerTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final Debouncer debouncer = new Debouncer(Duration.ofSeconds(2), Duration.ofSeconds(10));

    @Test
    void aBurstOfWritesToOneFileIsReleasedOnceAfterTheQuietPeriod() {
        for (int write = 0; write < 50; write++) {
            debouncer.touch("/a.jpg", T.plusMillis(write * 10L));
        }
        Instant lastWrite = T.plusMillis(490);

        assertThat(debouncer.nextRelease()).contains(lastWrite.plusSeconds(2));
        assertThat(debouncer.release(lastWrite.plusMillis(1999))).isEmpty();
        assertThat(debouncer.release(lastWrite.plusSeconds(2))).containsExactly("/a.jpg");
        assertThat(debouncer.release(lastWrite.plusSeconds(60))).isEmpty();
        assertThat(debouncer.nextRelease()).isEmpty();
    }

    @Test
    void pathsTouchedCloseTogetherAreReleasedTogetherSoAMoveCanBePaired() {
        debouncer.touch("/old.jpg", T);
        debouncer.touch("/new.jpg", T.plusMillis(1500));

        assertThat(debouncer.release(T.plusSeconds(2))).as("the library was not quiet yet").isEmpty();
        assertThat(debouncer.release(T.plusMillis(3500))).containsExactly("/new.jpg", "/old.jpg");
    }

    @Test
    void underActivityThatNeverPausesSettledPathsGoAfterTheMaxWaitButBusyOnesStay() {
        debouncer.touch("/settled.jpg", T);
        for (int second = 0; second <= 12; second++) {
            debouncer.touch("/still-copying.jpg", T.plusSeconds(second));
        }

        assertThat(debouncer.release(T.plusMillis(9999))).isEmpty();
        assertThat(debouncer.release(T.plusSeconds(10))).containsExactly("/settled.jpg");
        assertThat(debouncer.size()).isEqualTo(1);
        assertThat(debouncer.nextRelease()).contains(T.plusSeconds(14));
        assertThat(debouncer.release(T.plusSeconds(14))).containsExactly("/still-copying.jpg");
    }

    @Test
    void theNextReleaseUnderActivityIsWhenTheOldestWaitEndsOrThatPathSettles() {
        debouncer.touch("/a.jpg", T);
        debouncer.touch("/b.jpg", T.plusSeconds(9));

        assertThat(debouncer.nextRelease()).contains(T.plusSeconds(10));
        debouncer.touch("/a.jpg", T.plusSeconds(9));
        assertThat(debouncer.nextRelease()).as("a.jpg settles only at 11 s").contains(T.plusSeconds(11));
    }
}
