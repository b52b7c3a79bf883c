package io.cronstream.streams;

import io.cronstream.schemas.DeadLetter;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.event.Level;

/**
 * The net under every processor: Kafka Streams calls it for an exception thrown by any processor's
 * {@code process()} or any punctuation (processing), for a record the producer refuses (production: a record
 * larger than the broker takes) and for a record no deserializer can read. Instead of stopping the stream
 * thread, the failing record goes to the DLQ ({@link StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG})
 * with the reason (exception class and message) and its source coordinates, the same headers as every other
 * {@link DeadLetter}, and processing resumes with the next record.
 *
 * <p>Expected bad input never gets here: processors dead-letter it themselves with a reason written for the
 * producer. This catches what nobody foresaw, so one record can never be a permanent outage. Exceptions that
 * belong to the task (a fenced producer, a migrated task) never reach a handler; Kafka Streams keeps those.
 */
public final class DeadLetterHandler
        implements ProcessingExceptionHandler, ProductionExceptionHandler, DeserializationExceptionHandler {

    private String dlqTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        dlqTopic = Objects.requireNonNull(topic, StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                + " must name the DLQ topic").toString();
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
            Exception exception) {
        String where = record == null ? "punctuation of " : "processor ";
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(context, context.sourceRawKey(),
                context.sourceRawValue(), where + context.processorNodeId() + " failed: " + reason(exception))));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
            ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            // Anything else (authorization, an unknown topic) is the deployment's problem, not one record's.
            return ProductionExceptionHandler.Response.fail();
        }
        return ProductionExceptionHandler.Response.resume(List.of(deadLetter(context, record.key(), record.value(),
                "output to " + record.topic() + " refused: " + reason(exception))));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context,
            ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        return ProductionExceptionHandler.Response.resume(List.of(deadLetter(context, context.sourceRawKey(),
                context.sourceRawValue(), "output to " + record.topic() + " could not be serialized ("
                        + origin.name().toLowerCase(java.util.Locale.ROOT) + "): " + reason(exception))));
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record, Exception exception) {
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(context, record.key(),
                record.value(), "record of " + record.topic() + " could not be read: " + reason(exception))));
    }

    /** The exception's class and message, and the first cause's when it wraps one: enough to find the defect. */
    static String reason(Throwable exception) {
        String text = exception.getClass().getName() + ": " + exception.getMessage();
        Throwable cause = exception.getCause();
        return cause == null || cause == exception ? text
                : text + " (caused by " + cause.getClass().getName() + ": " + cause.getMessage() + ")";
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value,
            String error) {
        DeadLetter letter = new DeadLetter(key, value, error, context.topic(), context.partition(), context.offset(),
                Instant.now());
        DeadLetters.log(letter, Level.ERROR);
        HandledFailures.count(letter.sourceTopic());
        return new ProducerRecord<>(dlqTopic, null, letter.key(), letter.value(), letter.toHeaders());
    }
}
