package io.cronstream.workers.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cronstream.schemas.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A small JSON file holding what a program knew when it last stopped. Written to a temporary file and
 * moved into place, so a crash mid-write leaves the previous version, never half of one.
 */
public final class StateFile<T> {

    private static final ObjectMapper MAPPER = Json.mapper();

    private final Path file;
    private final Class<T> type;

    public StateFile(Path file, Class<T> type) {
        this.file = file.toAbsolutePath();
        this.type = type;
    }

    public Path path() {
        return file;
    }

    public Optional<T> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(MAPPER.readValue(file.toFile(), type));
    }

    public void write(T state) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            MAPPER.writeValue(temporary.toFile(), state);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
