package io.cronstream.workers.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChangesTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void reportsAddedModifiedAndDeletedPathsInPathOrder() {
        Map<String, FileState> before = Map.of("/a.jpg", file("A"), "/b.jpg", file("B"), "/c.jpg", file("C"));
        Map<String, FileState> after = Map.of("/a.jpg", file("A2"), "/c.jpg", file("C"), "/d.jpg", file("D"));

        assertThat(Changes.between(before, after)).containsExactly(
                Change.modified("/a.jpg", file("A2")),
                Change.deleted("/b.jpg"),
                Change.added("/d.jpg", file("D")));
    }

    @Test
    void aPathThatVanishedWhileTheSameContentAppearedElsewhereIsARename() {
        Map<String, FileState> before = Map.of("/2026/img_1.jpg", file("X"), "/gone.jpg", file("Y"));
        Map<String, FileState> after = Map.of("/2026/beach.jpg", file("X"));

        assertThat(Changes.between(before, after)).containsExactly(
                Change.renamed("/2026/img_1.jpg", "/2026/beach.jpg", file("X")),
                Change.deleted("/gone.jpg"));
    }

    @Test
    void identicalCopiesPairEachVanishedPathWithOneNewPathAtMost() {
        Map<String, FileState> before = Map.of("/a.jpg", file("same"), "/b.jpg", file("same"));
        Map<String, FileState> after = Map.of("/c.jpg", file("same"), "/d.jpg", file("same"), "/e.jpg", file("same"));

        assertThat(Changes.between(before, after)).containsExactly(
                Change.renamed("/a.jpg", "/c.jpg", file("same")),
                Change.renamed("/b.jpg", "/d.jpg", file("same")),
                Change.added("/e.jpg", file("same")));
    }

    @Test
    void aFileWhoseStatChangedButNotItsContentIsNoChange() {
        Map<String, FileState> before = Map.of("/a.jpg", new FileState(1, T, "h"));
        Map<String, FileState> after = new TreeMap<>(Map.of("/a.jpg", new FileState(1, T.plusSeconds(60), "h")));

        assertThat(Changes.between(before, after)).isEmpty();
    }

    private static FileState file(String hash) {
        return new FileState(hash.length(), T, hash);
    }
}
