package io.cronstream.workers.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A library's folder on disk and the files in it that pass the filter. Files are named by their path
 * relative to the folder, '/'-separated with a leading '/' ({@code /2026/beach.jpg}), so events do not
 * depend on where the folder is mounted. Symbolic links are not followed: a link loop must not hang a scan.
 */
public final class LibraryFolder {

    private final Path root;
    private final ExtensionFilter filter;

    public LibraryFolder(Path root, ExtensionFilter filter) {
        this.root = root.toAbsolutePath().normalize();
        this.filter = filter;
    }

    public Path root() {
        return root;
    }

    public ExtensionFilter filter() {
        return filter;
    }

    /** The library path of a file under the root. */
    public String pathOf(Path file) {
        Path relative = root.relativize(file.toAbsolutePath().normalize());
        StringBuilder path = new StringBuilder();
        for (Path part : relative) {
            path.append('/').append(part);
        }
        return path.length() == 0 ? "/" : path.toString();
    }

    /** The file a library path names; never outside the root. */
    public Path resolve(String path) {
        Path file = root.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("path " + path + " leaves the library folder");
        }
        return file;
    }

    /** Every accepted regular file under the root, by library path. Files that vanish while walking are left out. */
    public SortedMap<String, FileStat> list() throws IOException {
        return list(root);
    }

    /** Like {@link #list()}, for the files under one folder inside the library. */
    public SortedMap<String, FileStat> list(Path folder) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(folder.toString(), null, "no such folder");
        }
        SortedMap<String, FileStat> files = new TreeMap<>();
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && filter.accepts(file.getFileName().toString())) {
                    files.put(pathOf(file), stat(attributes));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return files;
    }

    /** The stat of one library path, if it is an accepted regular file right now. */
    public Optional<FileStat> stat(String path) throws IOException {
        Path file = resolve(path);
        if (!filter.accepts(file.getFileName() == null ? "" : file.getFileName().toString())) {
            return Optional.empty();
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? Optional.of(stat(attributes)) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The file's state, reusing {@code known} when the stat shows the file untouched and hashing it otherwise;
     * empty if it vanished meanwhile.
     */
    public Optional<FileState> fingerprint(String path, FileStat stat, FileState known) throws IOException {
        if (known != null && known.matches(stat)) {
            return Optional.of(known);
        }
        try {
            return Optional.of(new FileState(stat.size(), stat.modified(), ContentHash.sha256(resolve(path))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The whole library as it is now, hashing only what changed since {@code known}. */
    public SortedMap<String, FileState> snapshot(Map<String, FileState> known) throws IOException {
        SortedMap<String, FileState> files = new TreeMap<>();
        for (Map.Entry<String, FileStat> entry : list().entrySet()) {
            String path = entry.getKey();
            fingerprint(path, entry.getValue(), known.get(path)).ifPresent(state -> files.put(path, state));
        }
        return files;
    }

    private static FileStat stat(BasicFileAttributes attributes) {
        return new FileStat(attributes.size(), attributes.lastModifiedTime().toInstant());
    }
}
