package io.cronstream.schemas;

/** What a command on {@code cronstream.commands} asks the ticker to do. */
public enum CommandType {
    /** Emit a due event for the job now, whatever its schedule says. */
    TRIGGER
}
