package io.cronstream.workers.testing;

import io.cronstream.schemas.ChangeType;
import io.cronstream.schemas.FileChangeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The test's own reading of DESIGN §6: file changes coalesced per path, and the true difference between two
 * versions of a folder, to compare them with.
 */
public final class FileChangeFold {

    private FileChangeFold() {
    }

    /** ADDED+MODIFIED = ADDED, ADDED+DELETED = nothing, DELETED+ADDED = MODIFIED, RENAMED = DELETED old + ADDED new. */
    public static SortedMap<String, ChangeType> coalesce(List<FileChangeEvent> events) {
        SortedMap<String, ChangeType> pending = new TreeMap<>();
        for (FileChangeEvent event : events) {
            if (event.change() == ChangeType.RENAMED) {
                fold(pending, event.oldPath(), ChangeType.DELETED);
                fold(pending, event.path(), ChangeType.ADDED);
            } else {
                fold(pending, event.path(), event.change());
            }
        }
        return pending;
    }

    /** What changed between two folder contents (path → content hash). */
    public static SortedMap<String, ChangeType> difference(Map<String, String> before, Map<String, String> after) {
        SortedMap<String, ChangeType> changes = new TreeMap<>();
        Set<String> paths = new HashSet<>(before.keySet());
        paths.addAll(after.keySet());
        for (String path : paths) {
            String was = before.get(path);
            String is = after.get(path);
            if (was == null) {
                changes.put(path, ChangeType.ADDED);
            } else if (is == null) {
                changes.put(path, ChangeType.DELETED);
            } else if (!was.equals(is)) {
                changes.put(path, ChangeType.MODIFIED);
            }
        }
        return changes;
    }

    /** The folder's image files as library path → SHA-256 of their content. */
    public static SortedMap<String, String> contents(Path root) {
        SortedMap<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString().toLowerCase();
                if (name.endsWith(".jpg") || name.endsWith(".png")) {
                    files.put("/" + root.relativize(file).toString().replace('\\', '/'), sha256(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fold(Map<String, ChangeType> pending, String path, ChangeType next) {
        ChangeType was = pending.get(path);
        ChangeType is;
        if (was == null) {
            is = next;
        } else if (was == ChangeType.ADDED) {
            is = next == ChangeType.DELETED ? null : ChangeType.ADDED;
        } else if (next == ChangeType.DELETED) {
            is = ChangeType.DELETED;
        } else {
            is = ChangeType.MODIFIED;
        }
        if (is == null) {
            pending.remove(path);
        } else {
            pending.put(path, is);
        }
    }
}
