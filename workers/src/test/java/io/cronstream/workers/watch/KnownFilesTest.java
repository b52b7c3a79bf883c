package io.cronstream.workers.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.workers.files.Change;
import io.cronstream.workers.files.FileState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KnownFilesTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private final Map<String, FileState> disk = new HashMap<>();
    private final List<String> looked = new ArrayList<>();
    private final KnownFiles.Probe probe = (path, known) -> {
        looked.add(path);
        return Optional.ofNullable(disk.get(path));
    };

    @Test
    void aTouchedFolderThatIsGoneTakesTheKnownFilesUnderItWithIt() throws Exception {
        KnownFiles known = known(Map.of("/trip/a.jpg", file("A"), "/trip/b/c.jpg", file("C"), "/trip2/d.jpg", file("D"),
                "/tripod.jpg", file("E")));

        KnownFiles.Observation seen = known.observe(Set.of("/trip"), probe);

        assertThat(seen.changes()).containsExactly(Change.deleted("/trip/a.jpg"), Change.deleted("/trip/b/c.jpg"));
        assertThat(looked).doesNotContain("/trip2/d.jpg", "/tripod.jpg");
    }

    @Test
    void aMoveSeenInOneBatchIsARename() throws Exception {
        KnownFiles known = known(Map.of("/old.jpg", file("X")));
        disk.put("/new.jpg", file("X"));

        assertThat(known.observe(Set.of("/old.jpg", "/new.jpg"), probe).changes())
                .containsExactly(Change.renamed("/old.jpg", "/new.jpg", file("X")));
    }

    @Test
    void acceptingAnObservationMakesItTheKnownStateIncludingFreshStatsOfUnchangedFiles() throws Exception {
        KnownFiles known = known(Map.of("/a.jpg", file("A"), "/b.jpg", file("B"), "/c.jpg", file("C")));
        FileState touchedOnly = new FileState(1, T.plusSeconds(5), "A");
        disk.put("/a.jpg", touchedOnly);
        disk.put("/c.jpg", file("C"));

        KnownFiles.Observation seen = known.observe(Set.of("/a.jpg", "/b.jpg"), probe);
        assertThat(seen.changes()).containsExactly(Change.deleted("/b.jpg"));
        known.accept(seen);

        assertThat(known.files()).containsExactlyEntriesOf(new TreeMap<>(Map.of("/a.jpg", touchedOnly, "/c.jpg", file("C"))));
    }

    @Test
    void aFullSnapshotIsComparedWithEverythingKnown() {
        KnownFiles known = known(Map.of("/a.jpg", file("A"), "/b.jpg", file("B")));

        KnownFiles.Observation seen = known.observeAll(new TreeMap<>(Map.of("/b.jpg", file("B2"), "/c.jpg", file("A"))));
        known.accept(seen);

        assertThat(seen.changes()).containsExactly(Change.modified("/b.jpg", file("B2")),
                Change.renamed("/a.jpg", "/c.jpg", file("A")));
        assertThat(known.files()).containsOnlyKeys("/b.jpg", "/c.jpg");
    }

    private static KnownFiles known(Map<String, FileState> files) {
        return new KnownFiles(new TreeMap<>(files));
    }

    private static FileState file(String hash) {
        return new FileState(1, T, hash);
    }
}
