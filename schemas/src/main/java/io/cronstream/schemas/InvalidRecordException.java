package io.cronstream.schemas;

/** A record that cannot be read or does not make sense; its message is what lands in the DLQ header. */
public final class InvalidRecordException extends RuntimeException {

    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
