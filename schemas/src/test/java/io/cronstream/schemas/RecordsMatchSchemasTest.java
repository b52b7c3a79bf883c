package io.cronstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records built by Cronstream's own code are exactly what the schemas promise to producers and consumers. */
class RecordsMatchSchemasTest {

    private static final Instant SCHEDULED = Instant.parse("2026-03-29T01:30:00Z");
    private static final Instant FIRED = Instant.parse("2026-03-29T01:30:00.731Z");

    @Test
    void scheduledDueEventValidates() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("libraryId", "lib-1");
        DueEvent event = new DueEvent("job-1", DueEvent.runIdFor("job-1", SCHEDULED), "Scan", "LibraryScan", payload,
                SCHEDULED, FIRED, Trigger.SCHEDULE, "Europe/Berlin", null, java.time.Duration.ofMinutes(10), java.time.Duration.ofHours(2), null);

        assertThat(errors("due-event", JsonCodec.of(DueEvent.class).write(event))).isEmpty();
        assertThat(event.runId()).isEqualTo("job-1@1774747800000");
    }

    @Test
    void dueEventWithNothingOptionalGetsTheDefaultsItsSchemaRequires() {
        DueEvent event = new DueEvent("job-1", "job-1@0", null, " ", null, Instant.EPOCH, FIRED, Trigger.CATCHUP, null, "", null, null, null);

        assertThat(errors("due-event", JsonCodec.of(DueEvent.class).write(event))).isEmpty();
        assertThat(event.name()).isEqualTo("job-1");
        assertThat(event.jobType()).isEqualTo("generic");
        assertThat(event.timeZone()).isEqualTo("UTC");
        assertThat(event.payload()).isEqualTo(JsonNodeFactory.instance.objectNode());
        assertThat(event.triggeredBy()).isNull();
    }

    @Test
    void manualDueEventValidatesWithWhoTriggeredIt() {
        Command command = Command.trigger("job-1", "alice", Instant.parse("2026-11-22T10:15:30.250Z"), "retry-1.A_b");
        DueEvent event = new DueEvent(command.jobId(), command.manualRunId(),
                "Scan", "LibraryScan", null, command.requestedAt(), FIRED, Trigger.MANUAL, "UTC", command.triggeredBy(), null, null, null);

        assertThat(errors("due-event", JsonCodec.of(DueEvent.class).write(event))).isEmpty();
        assertThat(errors("command", JsonCodec.of(Command.class).write(command))).isEmpty();
        assertThat(event.runId()).isEqualTo("job-1@manual-retry-1.A_b");
    }

    /** Issue 13: in the same millisecond, a manual run and a scheduled fire are still two runs. */
    @Test
    void aManualRunIdNeverEqualsAFireTimesRunId() {
        Instant at = Instant.parse("2026-11-22T10:15:30.250Z");
        assertThat(Command.trigger("job-1", null, at).manualRunId())
                .isEqualTo("job-1@manual-" + at.toEpochMilli())
                .isNotEqualTo(DueEvent.runIdFor("job-1", at));
        assertThatThrownBy(() -> Command.trigger("job-1", null, at, "no spaces")).hasMessageContaining("requestId");
        assertThatThrownBy(() -> Command.trigger("job-1", null, at, "k".repeat(65))).hasMessageContaining("requestId");
    }

    @Test
    void dueEventRefusesWhatItsSchemaRefuses() {
        JsonNode array = JsonNodeFactory.instance.arrayNode().add(1);

        assertThatThrownBy(() -> new DueEvent("job-1", "job-2@5", null, null, null, SCHEDULED, FIRED,
                Trigger.SCHEDULE, null, null, null, null, null)).hasMessageContaining("<jobId>@<epoch millis>");
        assertThatThrownBy(() -> new DueEvent("job-1", "job-1@soon", null, null, null, SCHEDULED, FIRED,
                Trigger.SCHEDULE, null, null, null, null, null)).hasMessageContaining("<jobId>@<epoch millis>");
        assertThatThrownBy(() -> new DueEvent("job-1", "job-1@5", null, null, array, SCHEDULED, FIRED,
                Trigger.SCHEDULE, null, null, null, null, null)).hasMessage("payload must be a JSON object, not array");
    }

    /** Issue 16: a retry and a chained run, as the ticker builds them, are what the due-event schema promises. */
    @Test
    void retryAndChainedDueEventsValidate() {
        String first = DueEvent.runIdFor("job-1", SCHEDULED);
        DueEvent retry = DueEvent.builder("job-1", DueEvent.retryRunIdFor(first, 2)).scheduledFor(SCHEDULED)
                .firedAt(FIRED).trigger(Trigger.RETRY).attempt(2).retryOf(first)
                .runTimeout(java.time.Duration.ofMinutes(15)).startDeadline(java.time.Duration.ofMinutes(2))
                .followUp(true).build();
        DueEvent chained = DueEvent.builder("job-2", DueEvent.afterRunIdFor("job-2", retry.runId())).scheduledFor(FIRED)
                .firedAt(FIRED).trigger(Trigger.AFTER).triggeredBy(retry.runId()).followUp(false).build();

        assertThat(errors("due-event", JsonCodec.of(DueEvent.class).write(retry))).isEmpty();
        assertThat(errors("due-event", JsonCodec.of(DueEvent.class).write(chained))).isEmpty();
        assertThat(DueEvent.firstRunIdOf(retry.runId())).isEqualTo(first);
        // attempt is always written, followUp only when true
        assertThat(Json.mapper().valueToTree(chained).path("attempt").asInt()).isEqualTo(1);
        assertThat(Json.mapper().valueToTree(chained).has("followUp")).isFalse();
    }

    /** The AFTER command names its upstream run in triggeredBy, which may be longer than a person's name. */
    @Test
    void afterAndFailedRunFinishedCommandsValidate() {
        String upstream = "u".repeat(300) + "@" + SCHEDULED.toEpochMilli();
        Command after = Command.after("job-2", upstream, "FAILED", FIRED);
        Command finished = Command.runFinished("job-1", DueEvent.retryRunIdFor("job-1@5", 3), "FAILED", FIRED, 3,
                "TIMED_OUT");

        assertThat(errors("command", JsonCodec.of(Command.class).write(after))).isEmpty();
        assertThat(errors("command", JsonCodec.of(Command.class).write(finished))).isEmpty();
    }

    @Test
    void resultsAndErrorsCutToSizeStillValidate() {
        ObjectNode big = JsonNodeFactory.instance.objectNode().put("blob", "x".repeat(40_000));
        StageProgressEvent completed = new StageProgressEvent("job-1@5", "job-1", null, null,
                ProgressKind.RUN_COMPLETED, null, null, null, null, null, FIRED, null, big, null);
        StageProgressEvent failed = new StageProgressEvent("job-1@5", "job-1", null, null, ProgressKind.RUN_FAILED,
                null, null, null, null, "boom", FIRED, null, null, "\u00e9".repeat(5000));

        assertThat(completed.result().path("truncated").asBoolean()).isTrue();
        assertThat(errors("stage-progress", JsonCodec.of(StageProgressEvent.class).write(completed))).isEmpty();
        assertThat(errors("stage-progress", JsonCodec.of(StageProgressEvent.class).write(failed))).isEmpty();

        RunSnapshot run = RunSnapshot.builder("job-1@5-attempt-2").jobId("job-1").status(RunStatus.FAILED)
                .trigger(Trigger.RETRY).createdAt(SCHEDULED).updatedAt(FIRED).lastActivityAt(FIRED).completedAt(FIRED)
                .stuckAfter(java.time.Duration.ofMinutes(5)).attempt(2).retryOf("job-1@5").failureReason("TIMED_OUT")
                .error(failed.error()).runTimeout(java.time.Duration.ofMinutes(15))
                .startDeadline(java.time.Duration.ofMinutes(2)).missedAt(FIRED).followUp(true).build();
        RunSnapshot done = run.with(edit -> edit.status(RunStatus.COMPLETED).failureReason(null).error(null)
                .result(completed.result()).followUp(false));

        assertThat(errors("run-snapshot", JsonCodec.of(RunSnapshot.class).write(run))).isEmpty();
        assertThat(errors("run-snapshot", JsonCodec.of(RunSnapshot.class).write(done))).isEmpty();
    }

    @Test
    void alertsAndRunControlValidate() {
        List<Alert> alerts = List.of(
                new Alert(AlertKind.FAILED, "job-1", "job-1@5-attempt-2", 2, FIRED, "worker said: boom"),
                new Alert(AlertKind.PAUSED, "job-1", null, null, FIRED, null),
                new Alert(AlertKind.TIMED_OUT, "job-1", "job-1@5", 1, FIRED, "\u00e9".repeat(3000)));
        RunControl cancel = RunControl.cancel("job-1@5", "job-1", "TIMED_OUT: runTimeout PT15M passed", FIRED);

        assertThat(alerts).allSatisfy(alert ->
                assertThat(errors("alert", JsonCodec.of(Alert.class).write(alert))).isEmpty());
        assertThat(alerts.get(1).message()).isEqualTo("PAUSED");
        assertThat(errors("run-control", JsonCodec.of(RunControl.class).write(cancel))).isEmpty();
        assertThat(errors("run-control", JsonCodec.of(RunControl.class).write(
                RunControl.cancel("worker-run-42", null, null, FIRED)))).isEmpty();
    }

    @Test
    void processedReportAndChangeFromTheWorkerValidate() {
        FileChangeEvent report = FileChangeEvent.processed("lib-1", "job-1@5", SCHEDULED, FIRED);
        FileChangeEvent change = FileChangeEvent.change("lib-1", "/a.jpg", ChangeType.ADDED, null, null, "job-1@5",
                12L, null, SCHEDULED);

        assertThat(errors("file-change", JsonCodec.of(FileChangeEvent.class).write(report))).isEmpty();
        assertThat(errors("file-change", JsonCodec.of(FileChangeEvent.class).write(change))).isEmpty();
        assertThat(report.processedReport()).isTrue();
        assertThat(change.processedReport()).isFalse();
        assertThatThrownBy(() -> new FileChangeEvent("lib-1", "/a.jpg", null, null, null, null, null, null, FIRED, null,
                SCHEDULED)).hasMessage("a processed report (processedUpTo) names no path, change or oldPath");
    }

    @Test
    void commandFromTheApiValidatesWithTheDefaultTriggeredBy() {
        Command command = Command.trigger("670a1b2c3d4e5f6789abcdef", null, Instant.parse("2026-11-22T09:00:00Z"));

        assertThat(errors("command", JsonCodec.of(Command.class).write(command))).isEmpty();
        assertThat(command.triggeredBy()).isEqualTo("api");
    }

    @Test
    void triggeredByLimitCountsCharactersAsTheSchemaDoes() {
        String emoji = "\uD83D\uDE00";
        Instant at = Instant.parse("2026-11-22T09:00:00Z");
        Command longest = Command.trigger("job-1", emoji.repeat(200), at);

        assertThat(errors("command", JsonCodec.of(Command.class).write(longest))).isEmpty();
        assertThatThrownBy(() -> Command.trigger("job-1", emoji.repeat(201), at))
                .hasMessage("triggeredBy is longer than 200 characters");
    }

    @Test
    void deadLetterViewValidatesForTextBinaryAndMissingBytes() {
        byte[] binary = {(byte) 0xff, (byte) 0xee, 0x00, 0x01};
        List<DeadLetter> letters = List.of(
                letter(utf8("job-1"), utf8("{\"jobId\": "), "malformed JSON"),
                letter(binary, binary, "value is not valid UTF-8"),
                letter(null, null, null),
                new DeadLetter(null, utf8("[]"), "", null, -1, -1, FIRED));

        assertThat(letters).allSatisfy(letter -> assertThat(
                errors("dead-letter", JsonCodec.of(DeadLetter.View.class).write(letter.toView()))).isEmpty());
        assertThat(letters.get(1).toView().value()).isEqualTo("base64:/+4AAQ==");
        assertThat(letters.get(3).toView().error()).isEqualTo("unknown error");
        assertThat(letters.get(3).toView().sourceTopic()).isEqualTo("unknown");
    }

    @Test
    void textThatLooksLikeBase64IsEncodedSoTheViewStaysUnambiguous() {
        byte[] tricky = utf8("base64:AAAA");

        String shown = letter(tricky, tricky, "e").toView().key();

        assertThat(shown).startsWith("base64:");
        assertThat(Base64.getDecoder().decode(shown.substring("base64:".length()))).isEqualTo(tricky);
    }

    @Test
    void longErrorIsCutWithoutSplittingACharacter() {
        String error = "x".repeat(999) + "\uD83D\uDE00".repeat(10);

        DeadLetter letter = letter(null, null, error);

        assertThat(letter.error()).isEqualTo("x".repeat(999) + "…");
        assertThat(errors("dead-letter", JsonCodec.of(DeadLetter.View.class).write(letter.toView()))).isEmpty();
    }

    @Test
    void deadLetterSurvivesTheTripThroughHeaders() {
        DeadLetter letter = letter(utf8("job-1"), new byte[] {(byte) 0xc3}, "value is not valid UTF-8");

        DeadLetter back = DeadLetter.fromRecord(letter.key(), letter.value(), letter.toHeaders());

        assertThat(back.toView()).isEqualTo(letter.toView());
    }

    private static DeadLetter letter(byte[] key, byte[] value, String error) {
        return new DeadLetter(key, value, error, "cronstream.commands", 3, 1042L, FIRED);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Validates what goes on the wire, not an in-memory tree: that is what consumers see. */
    private static List<String> errors(String schema, byte[] written) {
        try {
            return SchemaCatalog.instance().validate(schema, Json.mapper().readTree(written));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aDeadLetterKeepsAtMost256KbOfAValueAndSaysSo() {
        byte[] huge = new byte[5 * 1024 * 1024];
        DeadLetter letter = new DeadLetter(null, huge, "value is too large", "t", 0, 1, FIRED);

        assertThat(letter.value()).hasSize(DeadLetter.MAX_BYTES);
        assertThat(letter.error()).isEqualTo("value cut to its first 262144 of 5242880 bytes: value is too large");
    }

    @Test
    void aDeadLetterReasonIsOneLine() {
        DeadLetter letter = new DeadLetter(null, null, "job id 'a\nERROR forged\u0000' is bad", "t", 0, 1, FIRED);

        assertThat(letter.error()).isEqualTo("job id 'a\\u000aERROR forged\\u0000' is bad");
    }
}
