package io.cronstream.workers.files;

import io.cronstream.schemas.FileChangeEvent;
import java.time.Instant;
import java.util.List;

/** Turns changes into the file-change events of DESIGN §6. */
public final class ChangeEvents {

    private ChangeEvents() {
    }

    /** @param runId the run that will do the work these changes imply; null when no run is doing it */
    public static List<FileChangeEvent> of(String libraryId, String runId, List<Change> changes, Instant detectedAt) {
        return changes.stream().map(change -> FileChangeEvent.change(libraryId, change.path(), change.type(),
                change.oldPath(), null, runId, change.file() == null ? null : change.file().size(),
                change.file() == null ? null : change.file().hash(), detectedAt)).toList();
    }
}
