package io.cronstream.local;

import io.cronstream.workers.files.ExtensionFilter;
import io.cronstream.workers.files.LibraryFolder;
import io.cronstream.schemas.Topics;
import io.cronstream.workers.watch.KafkaChangeSink;
import io.cronstream.workers.watch.LibraryWatcher;
import io.cronstream.workers.watch.WatchSettings;
import io.cronstream.workers.scan.ScanWorker;
import io.cronstream.workers.scan.WorkerSettings;
import io.cronstream.workers.kafka.Producers;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.Producer;

/**
 * The demo's image library (seed 001): a generated folder of small images, the real library
 * watcher publishing its file changes, and the real LibraryScan worker that scans it whenever
 * the demo's scan job fires.
 */
final class DemoLibrary implements AutoCloseable {

    static final String LIBRARY_ID = "photos";
    private static final int IMAGES = 240;

    private final Path folder;
    private final Producer<String, byte[]> watcherProducer;
    private final LibraryWatcher watcher;
    private final ScanWorker worker;

    private DemoLibrary(Path folder, Producer<String, byte[]> watcherProducer, LibraryWatcher watcher,
            ScanWorker worker) {
        this.folder = folder;
        this.watcherProducer = watcherProducer;
        this.watcher = watcher;
        this.worker = worker;
    }

    static DemoLibrary start(Path demoDir, String bootstrap, Topics topics) {
        Path folder = demoDir.resolve("library");
        try {
            generateImages(folder);
            ScanWorker worker = ScanWorker.start(WorkerSettings.of(bootstrap, demoDir.resolve("worker"),
                    "cronstream-demo-scan").withTopics(topics).withOffsetReset("earliest"));
            Producer<String, byte[]> producer = Producers.idempotent(bootstrap, "cronstream-demo-watch");
            LibraryWatcher watcher = new LibraryWatcher(WatchSettings.of(LIBRARY_ID,
                    new LibraryFolder(folder, ExtensionFilter.IMAGES), Duration.ofSeconds(2),
                    demoDir.resolve("watch-" + LIBRARY_ID + ".json")),
                    new KafkaChangeSink(producer, topics.fileChanges()), Clock.systemUTC());
            watcher.start();
            return new DemoLibrary(folder, producer, watcher, worker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the demo library in " + folder, e);
        }
    }

    Path folder() {
        return folder;
    }

    /** Small coloured gradients in a few albums, made once; a restart keeps (and rescans) them. */
    private static void generateImages(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        for (int i = 0; i < IMAGES; i++) {
            Path album = folder.resolve("album-" + (i % 6 + 1));
            Files.createDirectories(album);
            BufferedImage image = new BufferedImage(320, 200, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setPaint(new java.awt.GradientPaint(0, 0, Color.getHSBColor(i / (float) IMAGES, 0.6f, 0.9f),
                    320, 200, Color.getHSBColor((i * 7 % IMAGES) / (float) IMAGES, 0.8f, 0.5f)));
            g.fillRect(0, 0, 320, 200);
            g.dispose();
            ImageIO.write(image, "png", album.resolve(String.format("photo-%03d.png", i)).toFile());
        }
    }

    @Override
    public void close() {
        try (watcherProducer; worker) {
            watcher.close();
        }
    }
}
