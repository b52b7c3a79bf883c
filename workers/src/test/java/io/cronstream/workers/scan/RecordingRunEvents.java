package io.cronstream.workers.scan;

import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.StageProgressEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what a run reports, in order. */
class RecordingRunEvents implements RunEvents {

    final List<StageProgressEvent> progress = new CopyOnWriteArrayList<>();
    final List<FileChangeEvent> fileChanges = new CopyOnWriteArrayList<>();
    final List<FileChangeEvent> processed = new CopyOnWriteArrayList<>();

    @Override
    public void progress(StageProgressEvent event) {
        progress.add(event);
    }

    @Override
    public void fileChanges(List<FileChangeEvent> events) {
        fileChanges.addAll(events);
    }

    @Override
    public void processed(FileChangeEvent report) {
        processed.add(report);
    }

    @Override
    public void flush() {
        // recorded synchronously
    }
}
