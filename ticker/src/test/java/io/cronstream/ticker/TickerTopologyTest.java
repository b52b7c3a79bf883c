package io.cronstream.ticker;

import static io.cronstream.ticker.TickerHarness.header;
import static io.cronstream.ticker.TickerHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Trigger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TickerTopologyTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration SECOND = Duration.ofSeconds(1);

    private TickerHarness ticker = new TickerHarness(START);

    @AfterEach
    void close() {
        ticker.close();
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    @Nested
    class ReloadLikeSeed000 {

        @Test
        void newEnabledJobIsRegisteredAndFires() {
            ticker.putJob("scan", "{\"name\": \"Library Scan\", \"cronExpression\": \"*/5 * * * *\"}");
            assertThat(ticker.job("scan").nextFireAt()).isEqualTo(at("2026-01-05T10:05:00Z"));
            ticker.runUntil(at("2026-01-05T10:16:00Z"), SECOND);
            List<DueEvent> due = ticker.due();
            assertThat(due).extracting(DueEvent::scheduledFor).containsExactly(
                    at("2026-01-05T10:05:00Z"), at("2026-01-05T10:10:00Z"), at("2026-01-05T10:15:00Z"));
            DueEvent first = due.get(0);
            assertThat(first.runId()).isEqualTo("scan@" + at("2026-01-05T10:05:00Z").toEpochMilli());
            assertThat(first.trigger()).isEqualTo(Trigger.SCHEDULE);
            assertThat(first.name()).isEqualTo("Library Scan");
            assertThat(first.timeZone()).isEqualTo("UTC");
            assertThat(first.stuckAfter()).as("the job's stall threshold travels with its run").isEqualTo(Duration.ofMinutes(5));
            assertThat(Duration.between(first.scheduledFor(), first.firedAt())).isLessThanOrEqualTo(SECOND);
            assertThat(ticker.job("scan").fireCount()).isEqualTo(3);
            assertThat(ticker.job("scan").lastFiredAt()).isNotNull();
        }

        @Test
        void changedScheduleIsRescheduledFromNow() {
            ticker.putJob("scan", "{\"cronExpression\": \"0 2 * * *\"}");
            assertThat(ticker.job("scan").nextFireAt()).isEqualTo(at("2026-01-06T02:00:00Z"));
            ticker.runUntil(at("2026-01-05T10:07:00Z"), MINUTE);
            ticker.putJob("scan", "{\"cronExpression\": \"0 */6 * * *\"}");
            assertThat(ticker.job("scan").nextFireAt()).isEqualTo(at("2026-01-05T12:00:00Z"));
            ticker.runUntil(at("2026-01-05T18:30:00Z"), MINUTE);
            assertThat(ticker.dueTimes()).containsExactly(at("2026-01-05T12:00:00Z"), at("2026-01-05T18:00:00Z"));
            assertThat(ticker.scheduleEntries()).isEqualTo(1);
        }

        @Test
        void disabledJobStopsFiringAndReEnabledJobResumesFromNow() {
            ticker.putJob("scan", "{\"cronExpression\": \"*/10 * * * *\", \"isEnabled\": true}");
            ticker.runUntil(at("2026-01-05T10:25:00Z"), MINUTE);
            assertThat(ticker.dueTimes()).containsExactly(at("2026-01-05T10:10:00Z"), at("2026-01-05T10:20:00Z"));

            ticker.putJob("scan", "{\"cronExpression\": \"*/10 * * * *\", \"isEnabled\": false}");
            assertThat(ticker.job("scan").nextFireAt()).isNull();
            assertThat(ticker.scheduleEntries()).isZero();
            ticker.runUntil(at("2026-01-05T11:05:00Z"), MINUTE);
            assertThat(ticker.due()).isEmpty();

            ticker.putJob("scan", "{\"cronExpression\": \"*/10 * * * *\", \"isEnabled\": true}");
            ticker.runUntil(at("2026-01-05T11:21:00Z"), MINUTE);
            // Nothing owed for the disabled time: the first fire is the next one from now.
            assertThat(ticker.dueTimes()).containsExactly(at("2026-01-05T11:10:00Z"), at("2026-01-05T11:20:00Z"));
        }

        @Test
        void deletedJobIsRemovedWithItsPendingFire() {
            ticker.putJob("scan", "{\"cronExpression\": \"*/10 * * * *\"}");
            ticker.putJob("other", "{\"cronExpression\": \"*/10 * * * *\"}");
            ticker.deleteJob("scan");
            assertThat(ticker.job("scan")).isNull();
            ticker.putJob("other", "{\"cronExpression\": \"*/10 * * * *\", \"isDeleted\": true}");
            assertThat(ticker.job("other")).isNull();
            assertThat(ticker.scheduleEntries()).isZero();
            ticker.runUntil(at("2026-01-05T10:30:00Z"), MINUTE);
            assertThat(ticker.due()).isEmpty();
        }

        @Test
        void redeliveredDefinitionChangesNothing() {
            String doc = "{\"cronExpression\": \"*/10 * * * *\", \"name\": \"same\"}";
            ticker.putJob("scan", doc);
            JobState before = ticker.job("scan");
            ticker.runUntil(at("2026-01-05T10:05:00Z"), MINUTE);
            ticker.putJob("scan", doc);
            assertThat(ticker.job("scan")).isEqualTo(before);
        }

        @Test
        void renameKeepsTheNextFireTime() {
            ticker.putJob("scan", "{\"cronExpression\": \"0 2 * * *\", \"name\": \"old\"}");
            ticker.jump(Duration.ofHours(1));
            ticker.putJob("scan", "{\"cronExpression\": \"0 2 * * *\", \"name\": \"new\"}");
            assertThat(ticker.job("scan").nextFireAt()).isEqualTo(at("2026-01-06T02:00:00Z"));
            assertThat(ticker.job("scan").definition().name()).isEqualTo("new");
        }
    }

    @Nested
    class ScheduleKinds {

        @Test
        void intervalCountsFromStartAt() {
            ticker.putJob("i", "{\"interval\": \"PT20M\", \"startAt\": \"2026-01-05T09:00:00Z\"}");
            ticker.runUntil(at("2026-01-05T11:01:00Z"), MINUTE);
            assertThat(ticker.dueTimes()).containsExactly(at("2026-01-05T10:20:00Z"), at("2026-01-05T10:40:00Z"),
                    at("2026-01-05T11:00:00Z"));
        }

        @Test
        void intervalWithoutStartAtCountsFromWhenFirstSeen() {
            ticker.putJob("i", "{\"interval\": 90}");
            ticker.runUntil(START.plusSeconds(300), SECOND);
            assertThat(ticker.dueTimes()).containsExactly(START.plusSeconds(90), START.plusSeconds(180),
                    START.plusSeconds(270));
        }

        @Test
        void onceFiresOnceAndNeverAgain() {
            ticker.putJob("o", "{\"scheduleType\": \"Once\", \"runAt\": \"2026-01-05T10:03:00Z\"}");
            ticker.runUntil(at("2026-01-05T10:10:00Z"), SECOND);
            assertThat(ticker.dueTimes()).containsExactly(at("2026-01-05T10:03:00Z"));
            assertThat(ticker.job("o").nextFireAt()).isNull();
            ticker.putJob("o", "{\"scheduleType\": \"Once\", \"runAt\": \"2026-01-05T10:03:00Z\", \"name\": \"renamed\"}");
            ticker.runUntil(at("2026-01-05T10:20:00Z"), MINUTE);
            assertThat(ticker.due()).isEmpty();
        }

        @Test
        void onceSeenJustAfterItsTimeStillFires() {
            ticker.putJob("o", "{\"runAt\": \"2026-01-05T10:00:00Z\"}");
            ticker.jump(SECOND);
            assertThat(ticker.due()).extracting(DueEvent::scheduledFor, DueEvent::trigger)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(at("2026-01-05T10:00:00Z"), Trigger.SCHEDULE));
        }

        @Test
        void manualJobNeverFiresOnItsOwn() {
            ticker.putJob("m", "{\"scheduleType\": \"Manual\"}");
            ticker.runUntil(at("2026-01-05T12:00:00Z"), MINUTE);
            assertThat(ticker.due()).isEmpty();
            assertThat(ticker.job("m").nextFireAt()).isNull();
        }

        @Test
        void windowStartEndAndMaxRuns() {
            ticker.putJob("w", "{\"cron\": \"*/10 * * * *\", \"startAt\": \"2026-01-05T10:30:00Z\", "
                    + "\"endAt\": \"2026-01-05T11:00:00Z\"}");
            ticker.putJob("m", "{\"cron\": \"*/10 * * * *\", \"maxRuns\": 2}");
            ticker.runUntil(at("2026-01-05T12:00:00Z"), MINUTE);
            List<DueEvent> due = ticker.due();
            assertThat(due).filteredOn(d -> d.jobId().equals("w")).extracting(DueEvent::scheduledFor)
                    .containsExactly(at("2026-01-05T10:30:00Z"), at("2026-01-05T10:40:00Z"),
                            at("2026-01-05T10:50:00Z"), at("2026-01-05T11:00:00Z"));
            assertThat(due).filteredOn(d -> d.jobId().equals("m")).extracting(DueEvent::scheduledFor)
                    .containsExactly(at("2026-01-05T10:10:00Z"), at("2026-01-05T10:20:00Z"));
            assertThat(ticker.job("m").nextFireAt()).isNull();
            assertThat(ticker.scheduleEntries()).isZero();
        }

        @Test
        void quartzWithSecondsFiresEachSecondTime() {
            ticker.putJob("q", "{\"cron\": \"0/20 * * ? * * *\"}");
            ticker.runUntil(START.plusSeconds(61), SECOND);
            assertThat(ticker.dueTimes()).containsExactly(at("2026-01-05T10:00:40Z"), at("2026-01-05T10:01:00Z"),
                    at("2026-01-05T10:01:20Z"));
        }
    }

    @Nested
    class DaylightSaving {

        @Test
        void berlinDailyJobFiresEveryCalendarDayOnce() {
            ticker.close();
            ticker = new TickerHarness(at("2026-03-28T00:00:00Z"));
            ticker.putJob("d", "{\"cron\": \"30 2 * * *\", \"timeZone\": \"Europe/Berlin\"}");
            ticker.runUntil(at("2026-03-31T00:00:00Z"), MINUTE);
            assertThat(ticker.dueTimes()).containsExactly(at("2026-03-28T01:30:00Z"), at("2026-03-29T01:30:00Z"),
                    at("2026-03-30T00:30:00Z"));
        }

        @ParameterizedTest(name = "{0} {1} from {2}")
        @CsvSource(delimiter = '|', value = {
            // zone | cron | run from | run until | expected fire instants
            "Europe/Berlin    | 30 2 * * * | 2026-03-28T00:00:00Z | 2026-03-30T03:00:00Z | 2026-03-28T01:30:00Z 2026-03-29T01:30:00Z 2026-03-30T00:30:00Z",
            "Europe/Berlin    | 30 2 * * * | 2026-10-24T00:00:00Z | 2026-10-26T03:00:00Z | 2026-10-24T00:30:00Z 2026-10-25T00:30:00Z 2026-10-26T01:30:00Z",
            "Europe/Berlin    | 0 * * * *  | 2026-03-28T23:30:00Z | 2026-03-29T02:30:00Z | 2026-03-29T00:00:00Z 2026-03-29T01:00:00Z 2026-03-29T02:00:00Z",
            "Europe/Berlin    | 0 * * * *  | 2026-10-24T23:30:00Z | 2026-10-25T02:30:00Z | 2026-10-25T00:00:00Z 2026-10-25T01:00:00Z 2026-10-25T02:00:00Z",
            "America/New_York | 30 2 * * * | 2026-03-07T00:00:00Z | 2026-03-09T08:00:00Z | 2026-03-07T07:30:00Z 2026-03-08T07:30:00Z 2026-03-09T06:30:00Z",
            "America/New_York | 30 1 * * * | 2026-10-31T00:00:00Z | 2026-11-02T08:00:00Z | 2026-10-31T05:30:00Z 2026-11-01T05:30:00Z 2026-11-02T06:30:00Z",
            "America/New_York | 0 * * * *  | 2026-03-08T05:30:00Z | 2026-03-08T07:30:00Z | 2026-03-08T06:00:00Z 2026-03-08T07:00:00Z",
            "America/New_York | 0 * * * *  | 2026-11-01T04:30:00Z | 2026-11-01T07:30:00Z | 2026-11-01T05:00:00Z 2026-11-01T06:00:00Z 2026-11-01T07:00:00Z",
        })
        void fixedTimeAndHourlyJobsAcrossDaylightSavingDays(String zone, String cron, String from, String until,
                String expected) {
            ticker.close();
            ticker = new TickerHarness(at(from));
            ticker.putJob("j", "{\"cron\": \"" + cron + "\", \"timeZone\": \"" + zone + "\"}");
            ticker.runUntil(at(until), MINUTE);
            assertThat(ticker.dueTimes()).containsExactlyElementsOf(
                    java.util.Arrays.stream(expected.split(" ")).map(Instant::parse).toList());
        }

        @Test
        void restartInsideTheRepeatedHourDoesNotFireTwice() {
            ticker.close();
            String daily = "{\"cron\": \"30 2 * * *\", \"timeZone\": \"Europe/Berlin\", \"name\": \"nightly\"}";
            ticker = new TickerHarness(at("2026-10-24T22:00:00Z"));
            ticker.putJob("d", daily);
            // Run through the first pass of 02:00-03:00: 02:30 CEST fires.
            ticker.runUntil(at("2026-10-25T00:45:00Z"), MINUTE);
            assertThat(ticker.dueTimes()).containsExactly(at("2026-10-25T00:30:00Z"));
            // Crash; come back at 02:10 CET, inside the second pass; the connector re-delivers the job.
            ticker.jump(Duration.ofMinutes(40));
            ticker = ticker.restart(TickerConfig.defaults(TickerHarness.TOPICS));
            ticker.putJob("d", daily);
            ticker.runUntil(at("2026-10-26T02:00:00Z"), MINUTE);
            assertThat(ticker.dueTimes()).containsExactly(at("2026-10-26T01:30:00Z"));
        }
    }

    @Nested
    class Misfires {

        private static final String HOURLY = "{\"cron\": \"0 * * * *\", \"misfirePolicy\": \"%s\", \"catchupWindow\": \"%s\"}";

        private List<DueEvent> afterThreeHoursDown(String policy, String window) {
            ticker.putJob("h", HOURLY.formatted(policy, window));
            ticker.runUntil(at("2026-01-05T11:00:30Z"), MINUTE);
            assertThat(ticker.dueTimes()).containsExactly(at("2026-01-05T11:00:00Z"));
            // Down from 11:00:30 to 14:30:30: 12:00, 13:00 and 14:00 were missed.
            ticker.jump(Duration.ofMinutes(210));
            List<DueEvent> due = ticker.due();
            ticker.runUntil(at("2026-01-05T15:01:00Z"), MINUTE);
            assertThat(ticker.dueTimes()).as("back on schedule").containsExactly(at("2026-01-05T15:00:00Z"));
            return due;
        }

        @Test
        void fireOnceEmitsOneCatchupForTheLatestMissedTime() {
            assertThat(afterThreeHoursDown("FIRE_ONCE", "PT4H")).extracting(DueEvent::scheduledFor, DueEvent::trigger)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(at("2026-01-05T14:00:00Z"), Trigger.CATCHUP));
            assertThat(ticker.metric("misfires-skipped-total")).isEqualTo(2);
        }

        @Test
        void fireAllEmitsEveryMissedTimeInTheWindow() {
            assertThat(afterThreeHoursDown("FIRE_ALL", "PT4H")).extracting(DueEvent::scheduledFor)
                    .containsExactly(at("2026-01-05T12:00:00Z"), at("2026-01-05T13:00:00Z"), at("2026-01-05T14:00:00Z"));
        }

        @Test
        void fireAllStopsAtTheCatchupWindow() {
            // The window reaches back to 12:30:30: 12:00 is too old.
            assertThat(afterThreeHoursDown("FIRE_ALL", "PT2H")).extracting(DueEvent::scheduledFor)
                    .containsExactly(at("2026-01-05T13:00:00Z"), at("2026-01-05T14:00:00Z"));
        }

        @Test
        void nothingOlderThanTheWindowIsOwed() {
            assertThat(afterThreeHoursDown("FIRE_ONCE", "PT10M")).isEmpty();
        }

        @Test
        void skipEmitsNothingForMissedTimes() {
            assertThat(afterThreeHoursDown("SKIP", "PT4H")).isEmpty();
            assertThat(ticker.metric("misfires-skipped-total")).isEqualTo(3);
        }

        @Test
        void catchupEventsCarryTheirOwnRunIds() {
            List<DueEvent> due = afterThreeHoursDown("FIRE_ALL", "PT4H");
            assertThat(due).extracting(DueEvent::runId).doesNotHaveDuplicates()
                    .allMatch(runId -> runId.startsWith("h@"));
            assertThat(due).allMatch(d -> d.trigger() == Trigger.CATCHUP);
        }
    }

    @Nested
    class ManualTrigger {

        @Test
        void enabledDisabledAndManualJobsFireWithTriggeredBy() {
            ticker.putJob("on", "{\"cron\": \"0 2 * * *\"}");
            ticker.putJob("off", "{\"cron\": \"0 2 * * *\", \"isEnabled\": false}");
            ticker.putJob("man", "{\"scheduleType\": \"Manual\", \"parameters\": {\"libraryId\": \"L1\"}}");
            ticker.trigger("on", "alice");
            ticker.trigger("off", null);
            ticker.trigger("man", "bob");
            List<DueEvent> due = ticker.due();
            assertThat(due).extracting(DueEvent::jobId, DueEvent::trigger, DueEvent::triggeredBy).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("on", Trigger.MANUAL, "alice"),
                    org.assertj.core.groups.Tuple.tuple("off", Trigger.MANUAL, "api"),
                    org.assertj.core.groups.Tuple.tuple("man", Trigger.MANUAL, "bob"));
            assertThat(due.get(2).payload().get("libraryId").asText()).isEqualTo("L1");
            assertThat(due.get(0).runId()).isEqualTo("on@manual-" + START.toEpochMilli());
            // A manual run does not move the schedule.
            assertThat(ticker.job("on").nextFireAt()).isEqualTo(at("2026-01-06T02:00:00Z"));
        }

        @Test
        void invalidAndDeletedJobsAreRefusedIntoTheDlq() {
            ticker.putJob("bad", "{\"cron\": \"* * * *\"}");
            ticker.putJob("gone", "{\"cron\": \"0 2 * * *\"}");
            ticker.deleteJob("gone");
            ticker.trigger("bad", "alice");
            ticker.trigger("gone", "alice");
            ticker.trigger("never", "alice");
            assertThat(ticker.due()).isEmpty();
            assertThat(ticker.deadLetters()).extracting(r -> header(r, DeadLetter.ERROR)).containsExactly(
                    "job 'bad' is invalid and cannot be triggered: field 'cronExpression': Invalid cron expression "
                            + "'* * * *': expected 5, 6 or 7 fields, got 4",
                    "job 'gone' is not known (deleted or never defined)",
                    "job 'never' is not known (deleted or never defined)");
        }

        @Test
        void aRedeliveredCommandFiresOnce() {
            ticker.putJob("on", "{\"cron\": \"0 2 * * *\"}");
            byte[] command = utf8("{\"type\": \"TRIGGER\", \"jobId\": \"on\", \"requestedAt\": \"2026-01-05T10:00:00Z\"}");
            ticker.command("on", command);
            ticker.command("on", command);
            assertThat(ticker.due()).hasSize(1);
        }

        @Test
        void unreadableCommandsGoToTheDlq() {
            ticker.putJob("on", "{\"cron\": \"0 2 * * *\"}");
            ticker.command("on", utf8("{\"type\": \"EXPLODE\", \"jobId\": \"on\", \"requestedAt\": \"2026-01-05T10:00:00Z\"}"));
            ticker.command("on", utf8("{\"type\": \"TRIGGER\""));
            ticker.command("other", utf8("{\"type\": \"TRIGGER\", \"jobId\": \"on\", \"requestedAt\": \"2026-01-05T10:00:00Z\"}"));
            ticker.command(null, utf8("{\"type\": \"TRIGGER\", \"jobId\": \"on\", \"requestedAt\": \"2026-01-05T10:00:00Z\"}"));
            assertThat(ticker.due()).isEmpty();
            assertThat(ticker.deadLetters()).extracting(r -> header(r, DeadLetter.ERROR)).satisfiesExactly(
                    e -> assertThat(e).contains("type", "TRIGGER"),
                    e -> assertThat(e).startsWith("malformed JSON"),
                    e -> assertThat(e).contains("command key 'other' does not match jobId 'on'"),
                    e -> assertThat(e).contains("command key 'null'"));
        }
    }

    @Nested
    class Overlap {

        @Test
        void skipPolicyWaitsForThePreviousRunToFinish() {
            ticker.putJob("s", "{\"cron\": \"*/10 * * * *\", \"overlapPolicy\": \"SKIP\"}");
            ticker.putJob("a", "{\"cron\": \"*/10 * * * *\"}");
            ticker.runUntil(at("2026-01-05T10:11:00Z"), MINUTE);
            List<DueEvent> first = ticker.due();
            assertThat(first).extracting(DueEvent::jobId).containsExactlyInAnyOrder("s", "a");
            String running = first.stream().filter(d -> d.jobId().equals("s")).findFirst().orElseThrow().runId();
            assertThat(ticker.job("s").activeRunId()).isEqualTo(running);
            assertThat(ticker.job("a").activeRunId()).as("ALLOW jobs need no tracking").isNull();

            ticker.runUntil(at("2026-01-05T10:21:00Z"), MINUTE);
            assertThat(ticker.due()).extracting(DueEvent::jobId).containsExactly("a");
            assertThat(ticker.metric("overlap-skipped-total")).isEqualTo(1);

            ticker.runFinished("s", "s@" + at("2026-01-05T10:20:00Z").toEpochMilli()); // not the active run
            assertThat(ticker.job("s").activeRunId()).isEqualTo(running);
            ticker.runFinished("s", running);
            assertThat(ticker.job("s").activeRunId()).isNull();

            ticker.runUntil(at("2026-01-05T10:31:00Z"), MINUTE);
            assertThat(ticker.due()).extracting(DueEvent::jobId, DueEvent::scheduledFor).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("s", at("2026-01-05T10:30:00Z")),
                    org.assertj.core.groups.Tuple.tuple("a", at("2026-01-05T10:30:00Z")));
        }
    }

    @Nested
    class BadInput {

        @Test
        void invalidDefinitionsAreKeptVisibleAndNeverFireWhileOthersDo() {
            String[] bad = {
                "{\"cronExpression\": \"not a cron\"}",
                "{\"cronExpression\": \"* * * *\"}",
                "{\"cron\": \"0 0 * * *\", \"timeZone\": \"Mars/Olympus\"}",
                "{\"interval\": \"-PT5M\"}",
                "{\"name\": \"nothing to run on\"}",
                "{\"cron\": [\"0\", \"0\"], \"isEnabled\": \"yes\"}",
                "{\"runAt\": {\"when\": \"later\"}}",
            };
            for (int i = 0; i < bad.length; i++) {
                ticker.putJob("bad-" + i, bad[i]);
            }
            ticker.putJob("good", "{\"cron\": \"*/5 * * * *\"}");
            ticker.runUntil(at("2026-01-05T10:11:00Z"), MINUTE);
            assertThat(ticker.due()).extracting(DueEvent::jobId).containsOnly("good").hasSize(2);
            for (int i = 0; i < bad.length; i++) {
                JobState state = ticker.job("bad-" + i);
                assertThat(state.definition().valid()).isFalse();
                assertThat(state.definition().error()).isNotBlank();
                assertThat(state.nextFireAt()).isNull();
            }
            assertThat(ticker.deadLetters()).isEmpty();
        }

        @Test
        void fixingAnInvalidDefinitionSchedulesIt() {
            ticker.putJob("j", "{\"cronExpression\": \"* * * *\"}");
            ticker.putJob("j", "{\"cronExpression\": \"*/5 * * * *\"}");
            assertThat(ticker.job("j").definition().valid()).isTrue();
            assertThat(ticker.job("j").nextFireAt()).isEqualTo(at("2026-01-05T10:05:00Z"));
        }

        @Test
        void malformedRecordsLandInTheDlqWithTheirReasonAndSource() {
            ticker.putJob("good", "{\"cron\": \"*/5 * * * *\"}");
            ticker.putJob("trunc", "{\"cronExpression\": \"0 0 ");
            ticker.putRaw(utf8("bytes"), new byte[] {(byte) 0xFF, (byte) 0xFE, 0x00});
            ticker.putRaw(null, utf8("{\"cron\": \"@daily\"}"));
            ticker.putJob("arr", "[]");
            List<TestRecord<byte[], byte[]>> dead = ticker.deadLetters();
            assertThat(dead).hasSize(4);
            TestRecord<byte[], byte[]> first = dead.get(0);
            assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("trunc");
            assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("{\"cronExpression\": \"0 0 ");
            assertThat(header(first, DeadLetter.ERROR)).startsWith("malformed JSON");
            assertThat(header(first, DeadLetter.SOURCE_TOPIC)).isEqualTo("cronstream.jobs");
            assertThat(header(first, DeadLetter.SOURCE_OFFSET)).isEqualTo("1");
            assertThat(header(dead.get(1), DeadLetter.ERROR)).isEqualTo("record value is not valid UTF-8");
            assertThat(dead.get(1).value()).containsExactly((byte) 0xFF, (byte) 0xFE, 0x00);
            assertThat(header(dead.get(2), DeadLetter.ERROR)).startsWith("missing job id");
            assertThat(header(dead.get(3), DeadLetter.ERROR)).startsWith("a job definition must be a JSON object");
            ticker.runUntil(at("2026-01-05T10:06:00Z"), MINUTE);
            assertThat(ticker.dueTimes()).containsExactly(at("2026-01-05T10:05:00Z"));
            assertThat(ticker.metric("dead-letters-total")).isEqualTo(4);
            assertThat(ticker.dlqMetric("cronstream.jobs", "malformed-json")).isEqualTo(1);
            assertThat(ticker.dlqMetric("cronstream.jobs", "not-utf8")).isEqualTo(1);
            assertThat(ticker.dlqMetric("cronstream.jobs", "missing-field")).isEqualTo(1);
        }
    }

    @Nested
    class Scale {

        @Test
        void aPunctuationReadsOnlyTheDueEntriesOfTheIndex() {
            // 100,000 jobs: 99,990 due tomorrow at 02:00 and 10 every minute.
            for (int i = 0; i < 99_990; i++) {
                ticker.putJob("daily-" + i, "{\"cron\": \"0 2 * * *\"}");
            }
            for (int i = 0; i < 10; i++) {
                ticker.putJob("minutely-" + i, "{\"cron\": \"* * * * *\"}");
            }
            assertThat(ticker.scheduleEntries()).isEqualTo(100_000);
            double before = ticker.metric("schedule-entries-read-total");
            ticker.jump(Duration.ofSeconds(31)); // to 10:01:01: exactly the 10 minutely jobs are due
            assertThat(ticker.metric("schedule-entries-read-total") - before).isEqualTo(10);
            assertThat(ticker.due()).hasSize(10);
            before = ticker.metric("schedule-entries-read-total");
            ticker.jump(SECOND); // nothing due
            assertThat(ticker.metric("schedule-entries-read-total") - before).isZero();
        }
    }
}
