package io.cronstream.workers.scan;

import io.cronstream.workers.files.LibraryFolder;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The files a scan derives from each library file: a thumbnail and a cache copy. Each is written beside its
 * target and moved into place, so readers never see half a file and redoing an item is harmless.
 */
final class DerivedFiles {

    private final OutputLayout layout;
    private final Thumbnails thumbnails;

    DerivedFiles(OutputLayout layout, Thumbnails thumbnails) {
        this.layout = layout;
        this.thumbnails = thumbnails;
    }

    void buildThumbnail(String libraryId, LibraryFolder folder, String path) throws IOException {
        Path target = layout.thumbnail(libraryId, path);
        var image = thumbnails.render(folder.resolve(path));
        replace(target, temporary -> thumbnails.write(image, temporary));
    }

    void copyToCache(String libraryId, LibraryFolder folder, String path) throws IOException {
        Path source = folder.resolve(path);
        replace(layout.cached(libraryId, path),
                temporary -> Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING));
    }

    /** Deletes what was derived from a file that is gone, and the folders that leaves empty. */
    void remove(String libraryId, String path) throws IOException {
        delete(layout.thumbnail(libraryId, path), layout.thumbnails(libraryId));
        delete(layout.cached(libraryId, path), layout.cache(libraryId));
    }

    private interface Writer {
        void write(Path temporary) throws IOException;
    }

    private static void replace(Path target, Writer writer) throws IOException {
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(target.getParent(), ".partial-", ".tmp");
        try {
            writer.write(temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void delete(Path file, Path base) throws IOException {
        Files.deleteIfExists(file);
        for (Path dir = file.getParent(); dir != null && dir.startsWith(base) && !dir.equals(base); dir = dir.getParent()) {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                return;
            }
        }
    }
}
