package io.cronstream.workers.watch;

import static io.cronstream.workers.testing.FileChangeFold.coalesce;
import static io.cronstream.workers.testing.FileChangeFold.contents;
import static io.cronstream.workers.testing.FileChangeFold.difference;
import static io.cronstream.workers.testing.FileChangeFold.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.cronstream.workers.kafka.Producers;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.workers.files.ExtensionFilter;
import io.cronstream.workers.files.LibraryFolder;
import io.cronstream.schemas.ChangeType;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.workers.testing.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher against a real broker: what it publishes, coalesced as the topology does, is the true difference. */
@SuppressWarnings("try") // a watcher only has to run while the block does
class LibraryWatcherTest {

    private static final String TOPIC = "cronstream.file-changes";
    private static final Duration QUIET = Duration.ofMillis(300);

    @TempDir
    static Path kafkaDir;
    private static EmbeddedKafka kafka;
    private static Producer<String, byte[]> producer;
    private static TopicReader<FileChangeEvent> topic;

    @TempDir
    Path library;
    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(0, kafkaDir, true);
        kafka.createTopics(new NewTopic(TOPIC, 1, (short) 1));
        producer = Producers.idempotent(kafka.bootstrapServers(), "watcher-test");
        topic = new TopicReader<>(kafka.bootstrapServers(), TOPIC, JsonCodec.of(FileChangeEvent.class));
    }

    @AfterAll
    static void stopBroker() {
        topic.close();
        producer.close();
        kafka.close();
    }

    @Test
    void everyKindOfChangeIsPublishedOnceItSettlesAndCoalescesToTheTrueDifference() throws Exception {
        String libraryId = "everything";
        image("a.jpg", "a");
        image("b.jpg", "b");
        image("c.jpg", "c");
        image("albums/2025/x.jpg", "x");
        image("albums/2025/y.png", "y");
        image("old/o1.jpg", "o1");
        image("old/deeper/o2.jpg", "o2");
        SortedMap<String, String> before = contents(library);

        try (LibraryWatcher watcher = watcher(libraryId)) {
            assertThat(coalesce(events(libraryId))).as("a first start publishes the whole library")
                    .isEqualTo(difference(Map.of(), before));
            int mark = events(libraryId).size();

            image("e.jpg", "e");
            for (int write = 0; write < 5; write++) {
                Files.writeString(library.resolve("a.jpg"), "more " + write, StandardOpenOption.APPEND);
            }
            Files.delete(library.resolve("b.jpg"));
            Files.move(library.resolve("c.jpg"), library.resolve("c-renamed.jpg"), StandardCopyOption.ATOMIC_MOVE);
            Files.move(library.resolve("albums/2025"), library.resolve("albums/2025-summer"), StandardCopyOption.ATOMIC_MOVE);
            deleteTree(library.resolve("old"));
            image("new/sub/folder/n1.jpg", "n1");
            image("new/sub/n2.png", "n2");
            Files.writeString(library.resolve("notes.txt"), "not an image");
            SortedMap<String, String> after = contents(library);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(coalesce(since(mark, libraryId))).isEqualTo(difference(before, after)));
            List<FileChangeEvent> changes = settledSince(mark, libraryId);

            assertThat(coalesce(changes)).isEqualTo(difference(before, after));
            assertThat(changes).filteredOn(event -> event.path().equals("/a.jpg")).singleElement()
                    .satisfies(modified -> {
                        assertThat(modified.change()).isEqualTo(ChangeType.MODIFIED);
                        assertThat(modified.hash()).isEqualTo(sha256(library.resolve("a.jpg")));
                        assertThat(modified.size()).isEqualTo(Files.size(library.resolve("a.jpg")));
                    });
            assertThat(changes).filteredOn(event -> event.change() == ChangeType.RENAMED)
                    .extracting(FileChangeEvent::oldPath, FileChangeEvent::path)
                    .containsExactlyInAnyOrder(
                            tuple("/c.jpg", "/c-renamed.jpg"),
                            tuple("/albums/2025/x.jpg", "/albums/2025-summer/x.jpg"),
                            tuple("/albums/2025/y.png", "/albums/2025-summer/y.png"));
            assertThat(changes).filteredOn(event -> event.change() == ChangeType.ADDED)
                    .allSatisfy(added -> assertThat(added.hash()).isEqualTo(sha256(library.resolve(added.path().substring(1)))));
            assertThat(changes).allSatisfy(event -> assertThat(event.runId()).isNull());
        }
    }

    @Test
    void aBurstOfAThousandFilesInANewFolderIsAThousandAdds() throws Exception {
        String libraryId = "burst";
        try (LibraryWatcher watcher = watcher(libraryId)) {
            int mark = events(libraryId).size();
            Path burst = Files.createDirectory(library.resolve("burst"));
            for (int i = 0; i < 1000; i++) {
                Files.writeString(burst.resolve("img-" + i + ".jpg"), "image " + i);
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> since(mark, libraryId).size() >= 1000);
            List<FileChangeEvent> changes = settledSince(mark, libraryId);

            assertThat(changes).hasSize(1000).allSatisfy(event -> assertThat(event.change()).isEqualTo(ChangeType.ADDED));
            assertSameChanges(coalesce(changes), difference(Map.of(), contents(library)));
        }
    }

    /**
     * While the watcher is busy publishing, the JDK keeps at most 512 events per folder and then reports an
     * overflow; 2,000 new files are far more. Everything must still be published, by the rescan.
     */
    @Test
    void eventsLostToAnOverflowAreFoundByARescan() throws Exception {
        String libraryId = "overflow";
        KafkaChangeSink kafkaSink = new KafkaChangeSink(producer, TOPIC);
        AtomicBoolean holdNextPublish = new AtomicBoolean();
        CountDownLatch publishing = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        ChangeSink heldSink = events -> {
            if (holdNextPublish.getAndSet(false)) {
                publishing.countDown();
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            kafkaSink.publish(events);
        };
        try (LibraryWatcher watcher = watcher(libraryId, heldSink)) {
            int mark = events(libraryId).size();
            holdNextPublish.set(true);
            image("first.jpg", "first");
            assertThat(publishing.await(30, TimeUnit.SECONDS)).as("the watcher is publishing").isTrue();

            for (int i = 0; i < 2000; i++) {
                Files.writeString(library.resolve("img-" + i + ".jpg"), "image " + i);
            }
            resume.countDown();

            SortedMap<String, ChangeType> expected = difference(Map.of(), contents(library));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertSameChanges(coalesce(since(mark, libraryId)), expected));
        }
    }

    @Test
    void aRestartPublishesExactlyTheChangesMadeWhileStopped() throws Exception {
        String libraryId = "restart";
        image("a.jpg", "a");
        image("b.jpg", "b");
        image("c.jpg", "c");
        image("keep.jpg", "keep");
        try (LibraryWatcher first = watcher(libraryId)) {
            assertThat(events(libraryId)).hasSize(4);
        }
        int mark = events(libraryId).size();

        image("a.jpg", "a, edited while stopped");
        Files.delete(library.resolve("b.jpg"));
        Files.move(library.resolve("c.jpg"), library.resolve("c2.jpg"));
        image("e.jpg", "e");
        Files.setLastModifiedTime(library.resolve("keep.jpg"), Files.getLastModifiedTime(library.resolve("keep.jpg")));

        try (LibraryWatcher second = watcher(libraryId)) {
            // start() returns once the reconciliation is acknowledged by the broker
            assertThat(since(mark, libraryId)).extracting(FileChangeEvent::change, FileChangeEvent::path, FileChangeEvent::oldPath)
                    .containsExactly(
                            tuple(ChangeType.MODIFIED, "/a.jpg", null),
                            tuple(ChangeType.DELETED, "/b.jpg", null),
                            tuple(ChangeType.RENAMED, "/c2.jpg", "/c.jpg"),
                            tuple(ChangeType.ADDED, "/e.jpg", null));
        }
        int second = events(libraryId).size();

        try (LibraryWatcher third = watcher(libraryId)) {
            assertThat(settledSince(second, libraryId)).as("nothing changed while stopped").isEmpty();
        }
    }

    /** Like equality, but a failure names how many changes are missing or extra instead of printing thousands. */
    private static void assertSameChanges(Map<String, ChangeType> actual, Map<String, ChangeType> expected) {
        List<String> missing = expected.entrySet().stream().filter(e -> !e.getValue().equals(actual.get(e.getKey())))
                .map(Map.Entry::toString).toList();
        List<String> extra = actual.entrySet().stream().filter(e -> !e.getValue().equals(expected.get(e.getKey())))
                .map(Map.Entry::toString).toList();
        assertThat(missing.isEmpty()).as("%d of %d expected changes missing, e.g. %s", missing.size(), expected.size(),
                missing.stream().limit(5).toList()).isTrue();
        assertThat(extra.isEmpty()).as("%d unexpected changes, e.g. %s", extra.size(), extra.stream().limit(5).toList())
                .isTrue();
    }

    private LibraryWatcher watcher(String libraryId) throws Exception {
        return watcher(libraryId, new KafkaChangeSink(producer, TOPIC));
    }

    private LibraryWatcher watcher(String libraryId, ChangeSink sink) throws Exception {
        WatchSettings settings = new WatchSettings(libraryId, new LibraryFolder(library, ExtensionFilter.IMAGES), QUIET,
                QUIET.multipliedBy(10), stateDir.resolve(libraryId + ".json"));
        LibraryWatcher watcher = new LibraryWatcher(settings, sink, Clock.systemUTC());
        watcher.start();
        return watcher;
    }

    private void image(String path, String content) throws Exception {
        Path file = library.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static List<FileChangeEvent> events(String libraryId) {
        return topic.values(record -> record.key().equals(libraryId));
    }

    private static List<FileChangeEvent> since(int mark, String libraryId) {
        List<FileChangeEvent> all = events(libraryId);
        return all.subList(mark, all.size());
    }

    /**
     * The events since the mark, once the watcher has published everything it saw: a marker file written now
     * settles in the same batch as, or a later one than, anything still pending, and events keep their order.
     */
    private List<FileChangeEvent> settledSince(int mark, String libraryId) throws Exception {
        String marker = "/zz-marker-" + System.nanoTime() + ".jpg";
        image(marker.substring(1), "marker");
        await().atMost(Duration.ofSeconds(30)).until(() -> since(mark, libraryId).stream()
                .anyMatch(event -> event.path().equals(marker)));
        List<FileChangeEvent> all = since(mark, libraryId);
        List<FileChangeEvent> changes = all.stream().filter(event -> !event.path().equals(marker)).toList();
        Files.delete(library.resolve(marker.substring(1)));
        return changes;
    }

    private static void deleteTree(Path top) throws Exception {
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
