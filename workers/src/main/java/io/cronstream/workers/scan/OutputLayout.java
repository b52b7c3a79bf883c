package io.cronstream.workers.scan;

import io.cronstream.workers.files.FileNames;
import java.nio.file.Path;

/**
 * Where the worker writes: {@code thumbnails/<libraryId>/<path>.png}, {@code cache/<libraryId>/<path>} and
 * {@code state/<libraryId>.json} under the output folder.
 */
record OutputLayout(Path root) {

    OutputLayout {
        root = root.toAbsolutePath().normalize();
    }

    Path thumbnails(String libraryId) {
        return root.resolve("thumbnails").resolve(FileNames.forId(libraryId));
    }

    Path cache(String libraryId) {
        return root.resolve("cache").resolve(FileNames.forId(libraryId));
    }

    Path thumbnail(String libraryId, String path) {
        return under(thumbnails(libraryId), path + ".png");
    }

    Path cached(String libraryId, String path) {
        return under(cache(libraryId), path);
    }

    Path state(String libraryId) {
        return root.resolve("state").resolve(FileNames.forId(libraryId) + ".json");
    }

    private static Path under(Path base, String path) {
        Path file = base.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
        if (!file.startsWith(base) || file.equals(base)) {
            throw new IllegalArgumentException("path " + path + " leaves the output folder");
        }
        return file;
    }
}
