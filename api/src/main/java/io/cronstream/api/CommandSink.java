package io.cronstream.api;

import io.cronstream.schemas.Command;

/** Where trigger commands go: {@code cronstream.commands}, keyed by job id. */
public interface CommandSink extends AutoCloseable {

    /** Returns once the command is durably written; throws {@link ApiException#unavailable} otherwise. */
    void send(Command command);

    @Override
    default void close() {
    }
}
