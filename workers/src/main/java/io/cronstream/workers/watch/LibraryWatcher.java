package io.cronstream.workers.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import io.cronstream.workers.files.ChangeEvents;
import io.cronstream.workers.files.FileStat;
import io.cronstream.workers.files.FileState;
import io.cronstream.workers.files.LibraryFolder;
import io.cronstream.workers.files.StateFile;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one library folder tree and publishes what changes in it. The JDK's {@link WatchService} only
 * says which paths were touched; what changed is decided by looking at them once they settle and
 * comparing with the last published state, which is also how changes made while the watcher was stopped,
 * or lost to an event-queue overflow, are found: by a full rescan.
 */
public final class LibraryWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LibraryWatcher.class);
    /** After a failed publish nothing is lost (the known state did not move): a rescan this much later retries. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final WatchSettings settings;
    private final LibraryFolder folder;
    private final ChangeSink sink;
    private final Clock clock;
    private final StateFile<WatchState> stateFile;
    private final Debouncer debouncer;
    private final Map<WatchKey, Path> watchedFolders = new HashMap<>();
    private KnownFiles known;
    private WatchService service;
    private Thread thread;
    private Instant rescanAt;
    private volatile boolean closed;

    public LibraryWatcher(WatchSettings settings, ChangeSink sink, Clock clock) {
        this.settings = settings;
        this.folder = settings.folder();
        this.sink = sink;
        this.clock = clock;
        this.stateFile = new StateFile<>(settings.stateFile(), WatchState.class);
        this.debouncer = new Debouncer(settings.quietPeriod(), settings.maxWait());
    }

    /**
     * Publishes what changed since the last run, then watches on a thread of its own. Returns once every
     * folder is watched, so a change made after it returns is seen.
     */
    public synchronized void start() throws IOException {
        if (service != null) {
            throw new IllegalStateException("already started");
        }
        WatchState state = stateFile.read()
                .orElseGet(() -> new WatchState(settings.libraryId(), folder.root().toString(), new TreeMap<>()));
        if (!state.libraryId().equals(settings.libraryId())) {
            throw new IllegalStateException("state file " + stateFile.path() + " belongs to library '"
                    + state.libraryId() + "', not '" + settings.libraryId() + "'");
        }
        known = new KnownFiles(state.files());
        service = folder.root().getFileSystem().newWatchService();
        int changes;
        try {
            // watch first: whatever is written while the reconciliation runs is then seen as well
            watchTree(folder.root());
            changes = rescan();
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        LOG.info("event=watch-started libraryId={} folder={} files={} changesWhileStopped={}", settings.libraryId(),
                folder.root(), known.files().size(), changes);
        thread = new Thread(this::watch, "library-watcher-" + settings.libraryId());
        thread.start();
    }

    /** Stops watching; returns once the watching thread has ended. */
    @Override
    public void close() {
        closed = true;
        try {
            if (service != null) {
                service.close();
            }
            if (thread != null) {
                thread.join();
            }
        } catch (IOException e) {
            LOG.warn("event=watch-close-failed libraryId={} reason=\"{}\"", settings.libraryId(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void watch() {
        try {
            while (!closed) {
                WatchKey key = awaitEvents();
                Instant now = clock.instant();
                for (; key != null; key = service.poll()) {
                    take(key, now);
                }
                settle(now);
            }
        } catch (ClosedWatchServiceException e) {
            LOG.info("event=watch-stopped libraryId={}", settings.libraryId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until the OS reports something or the next pending change is due to settle. */
    private WatchKey awaitEvents() throws InterruptedException {
        Optional<Instant> due = debouncer.nextRelease();
        if (rescanAt != null && (due.isEmpty() || rescanAt.isBefore(due.get()))) {
            due = Optional.of(rescanAt);
        }
        if (due.isEmpty()) {
            return service.take();
        }
        long wait = Duration.between(clock.instant(), due.get()).toMillis();
        return wait <= 0 ? service.poll() : service.poll(wait + 1, TimeUnit.MILLISECONDS);
    }

    private void take(WatchKey key, Instant now) {
        Path dir = watchedFolders.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW || dir == null) {
                LOG.warn("event=watch-overflow libraryId={} action=rescan", settings.libraryId());
                rescanAt = now;
                continue;
            }
            Path child = dir.resolve((Path) event.context());
            if (event.kind() == ENTRY_CREATE && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                watchNewFolder(child, now);
            }
            debouncer.touch(folder.pathOf(child), now);
        }
        if (!key.reset()) {
            watchedFolders.remove(key);
        }
    }

    /** Files can land in a new folder before its watch is in place: they have no event, so touch them all. */
    private void watchNewFolder(Path dir, Instant now) {
        try {
            watchTree(dir);
            folder.list(dir).keySet().forEach(path -> debouncer.touch(path, now));
        } catch (IOException e) {
            LOG.warn("event=watch-folder-failed libraryId={} folder={} reason=\"{}\" action=rescan", settings.libraryId(),
                    dir, e.toString());
            rescanAt = now;
        }
    }

    private void settle(Instant now) {
        try {
            if (rescanAt != null && !now.isBefore(rescanAt)) {
                rescanAt = null;
                watchTree(folder.root());
                rescan();
            }
            Set<String> settled = debouncer.release(now);
            if (!settled.isEmpty()) {
                publish(known.observe(settled, this::look));
            }
        } catch (IOException | RuntimeException e) {
            // the known state did not move, so a rescan finds everything that was not published
            LOG.warn("event=publish-failed libraryId={} reason=\"{}\" action=rescan retryIn={}", settings.libraryId(),
                    e.toString(), RETRY_AFTER);
            rescanAt = now.plus(RETRY_AFTER);
        }
    }

    /** Compares the whole folder with the known state and publishes the difference; returns how many changes. */
    private int rescan() throws IOException {
        KnownFiles.Observation observation = known.observeAll(folder.snapshot(known.files()));
        publish(observation);
        return observation.changes().size();
    }

    private Optional<FileState> look(String path, FileState knownState) throws IOException {
        Optional<FileStat> stat = folder.stat(path);
        return stat.isEmpty() ? Optional.empty() : folder.fingerprint(path, stat.get(), knownState);
    }

    private void publish(KnownFiles.Observation observation) throws IOException {
        if (!observation.changes().isEmpty()) {
            sink.publish(ChangeEvents.of(settings.libraryId(), null, observation.changes(), clock.instant()));
            LOG.debug("event=changes-published libraryId={} count={}", settings.libraryId(), observation.changes().size());
        }
        known.accept(observation);
        stateFile.write(new WatchState(settings.libraryId(), folder.root().toString(), known.files()));
    }

    private void watchTree(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                watchedFolders.put(dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), dir);
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
    }
}
