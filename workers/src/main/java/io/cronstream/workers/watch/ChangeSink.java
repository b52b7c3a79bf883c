package io.cronstream.workers.watch;

import io.cronstream.schemas.FileChangeEvent;
import java.util.List;

/** Where detected changes go. Returns only once they are durably stored; throws if they are not. */
@FunctionalInterface
public interface ChangeSink {

    void publish(List<FileChangeEvent> events);
}
