package io.cronstream.workers.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryFolderTest {

    @TempDir
    Path root;

    @Test
    void namesFilesByTheirSlashSeparatedPathUnderTheRootAndNeverResolvesOutsideIt() {
        LibraryFolder folder = new LibraryFolder(root, ExtensionFilter.IMAGES);

        assertThat(folder.pathOf(root.resolve("2026").resolve("beach.jpg"))).isEqualTo("/2026/beach.jpg");
        assertThat(folder.resolve("/2026/beach.jpg")).isEqualTo(root.resolve("2026/beach.jpg"));
        assertThatThrownBy(() -> folder.resolve("/../secret.jpg")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsAcceptedFilesInSubFoldersCaseInsensitively() throws Exception {
        write("a.JPG", "a");
        write("notes.txt", "n");
        write("deep/er/b.png", "b");
        LibraryFolder folder = new LibraryFolder(root, ExtensionFilter.IMAGES);

        assertThat(folder.list()).containsOnlyKeys("/a.JPG", "/deep/er/b.png");
        assertThat(new LibraryFolder(root, ExtensionFilter.parse("*")).list()).hasSize(3);
        assertThat(folder.stat("/notes.txt")).isEmpty();
        assertThat(folder.stat("/deep")).as("a folder is no file").isEmpty();
        assertThat(folder.stat("/missing.jpg")).isEmpty();
    }

    @Test
    void hashesWithSha256OnlyWhatChangedSinceTheKnownState() throws Exception {
        write("a.jpg", "content");
        LibraryFolder folder = new LibraryFolder(root, ExtensionFilter.IMAGES);
        FileStat stat = folder.stat("/a.jpg").orElseThrow();

        FileState fresh = folder.fingerprint("/a.jpg", stat, null).orElseThrow();
        assertThat(fresh.hash()).isEqualTo(sha256("content"));
        assertThat(fresh.size()).isEqualTo(7);

        FileState known = new FileState(stat.size(), stat.modified(), "known-hash");
        assertThat(folder.snapshot(Map.of("/a.jpg", known))).containsEntry("/a.jpg", known);

        write("a.jpg", "changed!");
        SortedMap<String, FileState> after = folder.snapshot(Map.of("/a.jpg", known));
        assertThat(after.get("/a.jpg").hash()).isEqualTo(sha256("changed!"));
    }

    private void write(String path, String content) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static String sha256(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    }
}
