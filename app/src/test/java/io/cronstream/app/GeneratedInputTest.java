package io.cronstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.app.Generated.Raw;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.CommandType;
import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.streams.RepartitionGate;
import io.cronstream.ticker.JobState;
import io.cronstream.ticker.TickerTopology;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.ParsedJob;
import io.cronstream.topology.Origin;
import io.cronstream.topology.ProgressTopology;
import io.cronstream.topology.libraries.FileChanges;
import io.cronstream.topology.runs.RunInputs;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Generated input for every topic Cronstream reads, through the composed application topology (ticker and
 * progress, with the application's own Kafka Streams properties) on a {@code TopologyTestDriver}. After every
 * record: nothing escaped, nothing failed unexpectedly (no record reached the last-resort
 * {@code DeadLetterHandler}, no job was parked), the record was applied, kept {@code valid: false} or
 * dead-lettered with a reason and its source offset; then one second passes and a healthy every-second job
 * fires exactly once.
 *
 * <p>Each property runs {@value FuzzTries#DEFAULT} tries; {@code -Dcronstream.fuzz.tries=50000} runs a long search (README, Testing).
 * The seed is fixed ({@value FuzzTries#SEED}) so that every build runs the same cases and a red build can be
 * replayed; {@code -Dcronstream.fuzz.seed=random} (or any other number) explores new ones.
 */
@AddLifecycleHook(value = FuzzTries.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class GeneratedInputTest {

    private final CronstreamApp app = new CronstreamApp(Settings.of(Map.of()));
    private final JobDefinitionParser parser = new JobDefinitionParser(app.ticker().jobDefaults());
    private FuzzBed bed;

    @BeforeProperty
    void start() {
        bed = new FuzzBed(app);
    }

    @AfterProperty
    void stop() {
        bed.close();
    }

    @Property
    void jobDocuments(@ForAll("jobs") Raw record) {
        ParsedJob expected;
        try {
            expected = parser.parse(record.key(), record.value(), bed.now());
        } catch (InvalidRecordException refused) {
            expected = null;
        }
        long offset = bed.pipe(app.topics().jobs(), record);
        List<TestRecord<byte[], byte[]>> letters = bed.deadLetters();
        KeyValueStore<String, JobState> jobs = bed.store("ticker-jobs");
        if (expected == null) {
            assertDeadLettered(letters, app.topics().jobs(), offset, record);
        } else if (expected instanceof ParsedJob.Deleted deleted) {
            assertThat(jobs.get(deleted.jobId())).as("a delete removes the job").isNull();
        } else {
            JobDefinition definition = ((ParsedJob.Defined) expected).definition();
            JobState stored = jobs.get(definition.jobId());
            assertThat(stored).as("the job is kept").isNotNull();
            assertThat(stored.definition().valid()).as(stored.definition().error()).isEqualTo(definition.valid());
            if (!stored.definition().valid()) {
                assertThat(stored.definition().error()).as("an invalid job says why").isNotBlank();
            }
        }
        bed.tick();
    }

    /**
     * A command the ticker cannot apply (unreadable, keyed by another id, a trigger of an unknown or invalid job)
     * is dead-lettered; a trigger of a valid job makes its manual run once; nothing else is emitted.
     */
    @Property
    void commands(@ForAll("commandRecords") Raw record) {
        defineSomeJobs();
        Command command = readable(record);
        KeyValueStore<String, JobState> jobs = bed.store("ticker-jobs");
        JobState job = command == null ? null : jobs.get(command.jobId());
        boolean refused = command == null || command.type() == CommandType.TRIGGER
                && (job == null || !job.definition().valid());
        KeyValueStore<String, Object> made = bed.store(TickerTopology.RUNS_STORE);
        boolean newRun = !refused && command.type() == CommandType.TRIGGER
                && made.get(command.jobId() + "\u0000" + command.manualRunId()) == null;

        Statistics.label("command").collect(refused ? "refused" : newRun ? "new manual run"
                : command.type() == CommandType.TRIGGER ? "repeated trigger" : "run finished");

        bed.pipe(app.topics().commands(), record);
        List<TestRecord<byte[], byte[]>> letters = bed.deadLetters();
        letters.forEach(letter -> assertReason(letter, app.topics().commands(), null, record));
        assertThat(letters).as("dead-lettered").hasSize(refused ? 1 : 0);
        assertThat(bed.emitted()).as("manual runs made").extracting(DueEvent::runId)
                .containsExactlyElementsOf(newRun ? List.of(command.manualRunId()) : List.of());
        bed.tick();
    }

    /** README's bound on commands. */
    private static final int MAX_COMMAND_BYTES = 64 * 1024;

    /** The command a record carries if the ticker can apply it to the job its key names, else null. */
    private static Command readable(Raw record) {
        if (record.value() == null || record.value().length > MAX_COMMAND_BYTES || record.key() == null
                || record.key().length == 0 || record.key().length > RepartitionGate.MAX_KEY_BYTES) {
            return null;
        }
        try {
            Command command = JsonCodec.of(Command.class).read(record.value());
            return command.jobId().equals(JobDefinitionParser.idOfKey(record.key())) ? command : null;
        } catch (InvalidRecordException unreadable) {
            return null;
        }
    }

    /** Triggers meet valid jobs, an invalid one (j3) and unknown ones (j6, j7). */
    private void defineSomeJobs() {
        KeyValueStore<String, JobState> jobs = bed.store("ticker-jobs");
        if (jobs.get("j0") != null) {
            return;
        }
        for (String id : Generated.JOB_IDS.stream().filter(id -> !List.of("j3", "j6", "j7").contains(id)).toList()) {
            bed.pipe(app.topics().jobs(), new Raw(Generated.utf8(id), Generated.utf8("{\"cron\": \"0 0 * * *\"}")));
        }
        bed.pipe(app.topics().jobs(), new Raw(Generated.utf8("j3"), Generated.utf8("{\"cron\": \"not a cron\"}")));
        assertThat(jobs.get("j3").definition().valid()).isFalse();
    }

    @Property
    void stageProgressSequences(@ForAll("progress") List<Raw> sequence) {
        sequence.forEach(record -> applyOrDeadLetter(app.topics().stageProgress(), record,
                RunInputs::fromStageProgress, ProgressTopology.RUNS_STORE));
        bed.tick();
    }

    @Property
    void fileChangeSequences(@ForAll("fileChanges") List<Raw> sequence) {
        sequence.forEach(record -> applyOrDeadLetter(app.topics().fileChanges(), record,
                origin -> FileChanges.read(origin, bed.now()),
                ProgressTopology.LIBRARIES_STORE));
        bed.tick();
    }

    /**
     * The record's own reader says whether it is readable and under which key; a readable record must be in its
     * store afterwards (or dead-lettered by a later, stateful check), an unreadable one on the DLQ.
     */
    private void applyOrDeadLetter(String topic, Raw record, Function<Origin, KeyValue<String, ?>> reader,
            String store) {
        // Cronstream writes job-due itself (the healthy job's fires), so only the bytes identify a dead letter there.
        Long offset = ownedByTheTest(topic) ? bed.nextOffset(topic) : null;
        String key;
        try {
            key = reader.apply(new Origin(topic, 0, offset == null ? -1 : offset, record.key(), record.value())).key;
        } catch (InvalidRecordException refused) {
            key = null;
        }
        bed.pipe(topic, record);
        List<TestRecord<byte[], byte[]>> letters = bed.deadLetters();
        letters.forEach(letter -> assertReason(letter, topic, offset, record));
        if (key == null) {
            assertDeadLettered(letters, topic, offset, record);
        } else if (letters.isEmpty()) {
            assertThat(bed.<String, Object>store(store).get(key)).as("applied to " + store).isNotNull();
        }
    }

    private boolean ownedByTheTest(String topic) {
        return !topic.equals(app.topics().jobDue()) && !topic.equals(app.topics().commands());
    }

    private static void assertDeadLettered(List<TestRecord<byte[], byte[]>> letters, String topic, Long offset,
            Raw record) {
        assertThat(letters).as("dead-lettered").hasSize(1);
        assertReason(letters.get(0), topic, offset, record);
    }

    /** A dead letter carries a reason, its source, and the original bytes (cut to what the DLQ keeps). */
    private static void assertReason(TestRecord<byte[], byte[]> letter, String topic, Long offset, Raw record) {
        assertThat(FuzzBed.header(letter, DeadLetter.ERROR)).isNotBlank();
        assertThat(FuzzBed.header(letter, DeadLetter.SOURCE_TOPIC)).isEqualTo(topic);
        if (offset != null) {
            assertThat(FuzzBed.header(letter, DeadLetter.SOURCE_OFFSET)).isEqualTo(Long.toString(offset));
        }
        byte[] value = record.value();
        assertThat(letter.value()).isEqualTo(value == null || value.length <= DeadLetter.MAX_BYTES ? value
                : java.util.Arrays.copyOf(value, DeadLetter.MAX_BYTES));
    }

    @Provide
    Arbitrary<Raw> jobs() {
        return Generated.jobRecords();
    }

    @Provide
    Arbitrary<Raw> commandRecords() {
        return Generated.commandRecords();
    }


    @Provide
    Arbitrary<List<Raw>> progress() {
        return Generated.progressSequences();
    }

    @Provide
    Arbitrary<List<Raw>> fileChanges() {
        return Generated.fileChangeSequences();
    }
}
