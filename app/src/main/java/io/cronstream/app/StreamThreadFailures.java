package io.cronstream.app;

import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream thread's fatal error does to the instance. A thread whose transaction the broker
 * aborted behind its back (the transaction timeout passed while the JVM was frozen: SIGSTOP, a long
 * GC, a suspended VM) gets {@link InvalidTxnStateException} on its next commit; Kafka Streams 4.3
 * treats that as fatal, not as a lost task, so by default the whole instance would shut down. Nothing
 * of that transaction became visible, so the safe answer is the one for a lost task: a fresh thread
 * (new producer, tasks restored from their committed changelogs) rejoins the group. Every other
 * error still shuts the client down, as Kafka Streams does by default.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(StreamThreadFailures.class);

    @Override
    public StreamThreadExceptionResponse handle(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidTxnStateException) {
                log.warn("event=stream-thread-replaced reason=\"transaction aborted by the broker: {}\"", cause.getMessage());
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
        }
        log.error("event=stream-thread-fatal action=shutdown-client error=\"{}\"", error.toString());
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
