package io.cronstream.workers.files;

import io.cronstream.schemas.ChangeType;
import java.util.Objects;

/**
 * One difference between two versions of a library.
 *
 * @param file the file as it is now; null for DELETED
 */
public record Change(ChangeType type, String path, String oldPath, FileState file) {

    public Change {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        if ((type == ChangeType.RENAMED) != (oldPath != null)) {
            throw new IllegalArgumentException("oldPath belongs to RENAMED and only to it: " + type + " " + path);
        }
        if ((type == ChangeType.DELETED) != (file == null)) {
            throw new IllegalArgumentException("every change but DELETED carries the file: " + type + " " + path);
        }
    }

    public static Change added(String path, FileState file) {
        return new Change(ChangeType.ADDED, path, null, file);
    }

    public static Change modified(String path, FileState file) {
        return new Change(ChangeType.MODIFIED, path, null, file);
    }

    public static Change deleted(String path) {
        return new Change(ChangeType.DELETED, path, null, null);
    }

    public static Change renamed(String oldPath, String path, FileState file) {
        return new Change(ChangeType.RENAMED, path, oldPath, file);
    }

    /** The path whose content must be (re)built from: the file that exists after this change. */
    public boolean producesContent() {
        return type != ChangeType.DELETED;
    }

    /** The path whose derived files are obsolete after this change, or null. */
    public String removedPath() {
        return switch (type) {
            case DELETED -> path;
            case RENAMED -> oldPath;
            default -> null;
        };
    }
}
