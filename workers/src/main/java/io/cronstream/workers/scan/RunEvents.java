package io.cronstream.workers.scan;

import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.StageProgressEvent;
import java.util.List;

/** Where a run reports to. */
public interface RunEvents {

    /** Queues a stage-progress event; it is durable once {@link #flush()} returns. */
    void progress(StageProgressEvent event);

    /** Publishes file changes and returns once they are durable. */
    void fileChanges(List<FileChangeEvent> events);

    /**
     * Publishes a processed report (a file-change event with {@code processedUpTo}) and returns once it is
     * durable: the library's changes detected up to then leave its pending change set.
     */
    void processed(FileChangeEvent report);

    /** Returns once every queued progress event is durable; throws if any could not be written. */
    void flush();
}
