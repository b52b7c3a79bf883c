package io.cronstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {

    private final StreamThreadFailures failures = new StreamThreadFailures();

    @Test
    void aTransactionTheBrokerAbortedWhileTheThreadWasFrozenReplacesTheThread() {
        StreamsException commitFailed = new StreamsException("Error encountered trying to commit a transaction",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));
        assertThat(failures.handle(commitFailed)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void anyOtherFatalErrorStillShutsTheClientDown() {
        assertThat(failures.handle(new StreamsException("state directory locked")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
