package io.cronstream.workers.watch;

import io.cronstream.workers.kafka.Flags;
import io.cronstream.workers.files.ExtensionFilter;
import io.cronstream.workers.files.FileNames;
import io.cronstream.workers.files.LibraryFolder;
import io.cronstream.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The watcher's command line. */
record WatchOptions(String bootstrapServers, Topics topics, WatchSettings settings) {

    static final String USAGE = """
            usage: watch --library <libraryId> <folder> [options]
              --bootstrap <host:port,...>   Kafka (default localhost:9092)
              --quiet-period <ISO duration> publish once the library has been still this long (default PT2S)
              --extensions <list|*>         file extensions to watch (default %s)
              --state-file <file>           last published state (default .cronstream/watch/<libraryId>.json)
              --topic-prefix <prefix>       topic names prefix (default cronstream.)
            """.formatted(String.join(",", ExtensionFilter.IMAGES.extensions().stream().sorted().toList()));

    static WatchOptions parse(String[] args) {
        Flags flags = Flags.parse(args, Map.of("library", 2, "bootstrap", 1, "quiet-period", 1, "extensions", 1,
                "state-file", 1, "topic-prefix", 1));
        List<String> library = flags.values("library");
        if (library.isEmpty()) {
            throw new IllegalArgumentException("--library <libraryId> <folder> is required");
        }
        String libraryId = library.get(0);
        Path folder = Path.of(library.get(1));
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("library folder " + folder + " is not a directory");
        }
        ExtensionFilter filter = flags.value("extensions").map(ExtensionFilter::parse).orElse(ExtensionFilter.IMAGES);
        Path stateFile = flags.value("state-file").map(Path::of)
                .orElse(Path.of(".cronstream", "watch", FileNames.forId(libraryId) + ".json"));
        WatchSettings settings = WatchSettings.of(libraryId, new LibraryFolder(folder, filter),
                duration(flags.value("quiet-period", "PT2S")), stateFile);
        return new WatchOptions(flags.value("bootstrap", "localhost:9092"),
                Topics.withPrefix(flags.value("topic-prefix", "cronstream.")), settings);
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--quiet-period '" + text + "' is not an ISO-8601 duration such as PT2S");
        }
    }
}
