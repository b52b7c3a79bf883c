package io.cronstream.workers.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.workers.watch.WatchState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackWithNothingLeftBesideIt() throws Exception {
        StateFile<WatchState> file = new StateFile<>(dir.resolve("state/lib.json"), WatchState.class);
        assertThat(file.read()).isEmpty();

        WatchState state = new WatchState("lib", "/photos", new TreeMap<>(Map.of("/a.jpg",
                new FileState(3, Instant.parse("2026-01-01T00:00:00.123456789Z"), "abc"))));
        file.write(state);
        file.write(state);

        assertThat(file.read()).contains(state);
        try (var files = Files.list(dir.resolve("state"))) {
            assertThat(files).containsExactly(dir.resolve("state/lib.json"));
        }
    }

    @Test
    void idsThatAreNotPlainNamesBecomeDigestsThatCannotLeaveAFolder() {
        assertThat(FileNames.forId("lib-photos_1.0")).isEqualTo("lib-photos_1.0");
        assertThat(FileNames.forId("../etc")).startsWith("id-").doesNotContain("/");
        assertThat(FileNames.forId("a/b")).isNotEqualTo(FileNames.forId("a_b")).startsWith("id-");
    }
}
