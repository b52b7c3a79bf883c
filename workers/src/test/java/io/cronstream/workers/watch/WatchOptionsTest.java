package io.cronstream.workers.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchOptionsTest {

    @TempDir
    Path folder;

    @Test
    void defaultsFollowTheDesign() {
        WatchOptions options = WatchOptions.parse(new String[] {"--library", "photos", folder.toString()});

        assertThat(options.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(options.topics().fileChanges()).isEqualTo("cronstream.file-changes");
        assertThat(options.settings().quietPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.settings().folder().filter().accepts("IMG_0001.JPG")).isTrue();
        assertThat(options.settings().folder().filter().accepts("notes.txt")).isFalse();
        assertThat(options.settings().stateFile()).isEqualTo(Path.of(".cronstream", "watch", "photos.json"));
    }

    @Test
    void everyOptionCanBeSet() {
        WatchOptions options = WatchOptions.parse(new String[] {"--library", "photos", folder.toString(),
                "--bootstrap", "kafka:9093", "--quiet-period", "PT0.5S", "--extensions", "raw,.DNG",
                "--state-file", "/var/lib/watch.json", "--topic-prefix", "test."});

        assertThat(options.bootstrapServers()).isEqualTo("kafka:9093");
        assertThat(options.topics().fileChanges()).isEqualTo("test.file-changes");
        assertThat(options.settings().quietPeriod()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.settings().folder().filter().accepts("a.dng")).isTrue();
        assertThat(options.settings().folder().filter().accepts("a.jpg")).isFalse();
        assertThat(options.settings().stateFile()).isEqualTo(Path.of("/var/lib/watch.json"));
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> WatchOptions.parse(new String[0])).hasMessageContaining("--library");
        assertThatThrownBy(() -> WatchOptions.parse(new String[] {"--library", "photos", folder.resolve("nope").toString()}))
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> WatchOptions.parse(new String[] {"--library", "photos", folder.toString(),
                "--quiet-period", "2s"})).hasMessageContaining("ISO-8601");
    }
}
