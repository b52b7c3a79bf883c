package io.cronstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DeadLetter;
import io.cronstream.streams.DeadLetterHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The application's Kafka Streams properties install {@link DeadLetterHandler}: an exception nobody foresaw, in
 * any processor's {@code process()} or punctuation, dead-letters what was being handled and the stream goes on.
 * The processor here throws on purpose; everything around it is the real Kafka Streams runtime.
 */
class DeadLetterHandlerTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");
    private final CronstreamApp app = new CronstreamApp(Settings.of(Map.of()));

    /** Passes values on; throws for "boom", and in its first punctuation. */
    private static final class Fragile implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> context;
        private boolean punctuatedOnce;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, now -> {
                if (!punctuatedOnce) {
                    punctuatedOnce = true;
                    throw new IllegalStateException("punctuation broke");
                }
                context.forward(new Record<>("tick", "tick", now));
            });
        }

        @Override
        public void process(Record<String, String> record) {
            if (record.value().equals("boom")) {
                throw new IllegalArgumentException("cannot handle " + record.value());
            }
            context.forward(record);
        }
    }

    @Test
    void anExceptionInProcessOrAPunctuationDeadLettersAndTheStreamGoesOn() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .process(Fragile::new)
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = app.streamsProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("handler").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, START)) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic("out", new StringDeserializer(),
                    new StringDeserializer());
            TestOutputTopic<String, String> dlq = driver.createOutputTopic(app.topics().dlq(), new StringDeserializer(),
                    new StringDeserializer());

            in.pipeInput("a", "one");
            in.pipeInput("b", "boom");
            in.pipeInput("c", "three");
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            driver.advanceWallClockTime(Duration.ofSeconds(1));

            assertThat(out.readValuesToList()).containsExactly("one", "three", "tick");
            List<TestRecord<String, String>> letters = dlq.readRecordsToList();
            assertThat(letters).hasSize(2);
            TestRecord<String, String> poison = letters.get(0);
            assertThat(poison.key()).isEqualTo("b");
            assertThat(poison.value()).isEqualTo("boom");
            assertThat(header(poison.headers(), DeadLetter.ERROR)).contains(
                    "java.lang.IllegalArgumentException: cannot handle boom");
            assertThat(header(poison.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo("in");
            assertThat(header(poison.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("1");
            assertThat(header(letters.get(1).headers(), DeadLetter.ERROR))
                    .startsWith("punctuation of ").contains("java.lang.IllegalStateException: punctuation broke");
        }
    }

    @Test
    void aRecordTooLargeForTheBrokerIsDeadLetteredCutToWhatTheDlqTakes() {
        DeadLetterHandler handler = new DeadLetterHandler();
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "cronstream.dlq"));
        byte[] huge = new byte[2 * 1024 * 1024];
        ProducerRecord<byte[], byte[]> refused = new ProducerRecord<>("cronstream.run-status", utf8("run-1"), huge);

        ProductionExceptionHandler.Response response = handler.handleError(context(), refused,
                new RecordTooLargeException("The message is 2097240 bytes when serialized"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertThat(letter.topic()).isEqualTo("cronstream.dlq");
        assertThat(letter.value()).hasSize(DeadLetter.MAX_BYTES);
        assertThat(header(letter.headers(), DeadLetter.ERROR))
                .contains("output to cronstream.run-status refused: org.apache.kafka.common.errors.RecordTooLargeException");
        assertThat(header(letter.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo("cronstream.stage-progress");

        // Other production errors are the deployment's, not one record's: they still stop the task.
        assertThat(handler.handleError(context(), refused, new IllegalStateException("no")).result())
                .isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            public String topic() { return "cronstream.stage-progress"; }
            public int partition() { return 0; }
            public long offset() { return 42; }
            public Headers headers() { return new RecordHeaders(); }
            public String processorNodeId() { return "progress-runs"; }
            public TaskId taskId() { return new TaskId(1, 0); }
            public long timestamp() { return START.toEpochMilli(); }
            public byte[] sourceRawKey() { return utf8("run-1"); }
            public byte[] sourceRawValue() { return utf8("{}"); }
        };
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
