package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cronstream.ticker.schedule.CronDialect;
import io.cronstream.ticker.schedule.CronSchedule;
import io.cronstream.ticker.schedule.JobSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** Fire times in [from, to), chained from each previous fire as the ticker chains them. */
    static List<Instant> fires(CronSchedule schedule, String from, String to) {
        List<Instant> out = new ArrayList<>();
        Instant end = Instant.parse(to);
        Instant t = schedule.nextAfter(Instant.parse(from)).orElse(null);
        while (t != null && t.isBefore(end)) {
            out.add(t);
            t = schedule.nextAfter(t).orElse(null);
        }
        return out;
    }

    static List<Instant> instants(String... texts) {
        return java.util.Arrays.stream(texts).map(Instant::parse).toList();
    }

    @Nested
    class Dialects {

        @Test
        void unixFiveFields() {
            CronSchedule s = CronSchedule.parse("*/15 9-10 * * MON-FRI", null, UTC);
            assertThat(s.dialect()).isEqualTo(CronDialect.UNIX);
            // 2026-01-02 is a Friday, 2026-01-03 a Saturday.
            assertThat(fires(s, "2026-01-02T09:50:00Z", "2026-01-05T09:20:00Z")).containsExactlyElementsOf(instants(
                    "2026-01-02T10:00:00Z", "2026-01-02T10:15:00Z", "2026-01-02T10:30:00Z", "2026-01-02T10:45:00Z",
                    "2026-01-05T09:00:00Z", "2026-01-05T09:15:00Z"));
        }

        @Test
        void springSixFieldsWithSeconds() {
            CronSchedule s = CronSchedule.parse("*/20 0 12 * * ?", null, UTC);
            assertThat(s.dialect()).isEqualTo(CronDialect.SPRING);
            assertThat(fires(s, "2026-01-01T11:59:59Z", "2026-01-01T12:01:00Z")).containsExactlyElementsOf(
                    instants("2026-01-01T12:00:00Z", "2026-01-01T12:00:20Z", "2026-01-01T12:00:40Z"));
        }

        @Test
        void everySecondFiresOnWholeSecondsWhateverTheFractionOfTheStart() {
            CronSchedule s = CronSchedule.parse("* * * * * *", null, UTC);
            assertThat(fires(s, "2026-01-01T12:00:04.689Z", "2026-01-01T12:00:08Z")).containsExactlyElementsOf(
                    instants("2026-01-01T12:00:05Z", "2026-01-01T12:00:06Z", "2026-01-01T12:00:07Z"));
            assertThat(s.nextAfter(Instant.parse("2026-01-01T12:00:05Z"))).contains(Instant.parse("2026-01-01T12:00:06Z"));
        }

        @Test
        void springLastDayOfMonth() {
            CronSchedule s = CronSchedule.parse("0 0 6 L * *", CronDialect.SPRING, UTC);
            assertThat(fires(s, "2026-01-15T00:00:00Z", "2026-04-01T00:00:00Z")).containsExactlyElementsOf(instants(
                    "2026-01-31T06:00:00Z", "2026-02-28T06:00:00Z", "2026-03-31T06:00:00Z"));
        }

        @Test
        void quartzLastDayOfMonth() {
            CronSchedule s = CronSchedule.parse("0 0 23 L * ?", CronDialect.QUARTZ, UTC);
            assertThat(fires(s, "2026-01-15T00:00:00Z", "2026-03-15T00:00:00Z")).containsExactlyElementsOf(
                    instants("2026-01-31T23:00:00Z", "2026-02-28T23:00:00Z"));
        }

        @Test
        void quartzNearestWeekday() {
            // The 15th of August 2026 is a Saturday: 15W fires on Friday the 14th.
            CronSchedule s = CronSchedule.parse("0 30 8 15W * ? 2026", null, UTC);
            assertThat(s.dialect()).isEqualTo(CronDialect.QUARTZ);
            assertThat(fires(s, "2026-08-01T00:00:00Z", "2026-09-01T00:00:00Z"))
                    .containsExactly(Instant.parse("2026-08-14T08:30:00Z"));
        }

        @Test
        void quartzNthWeekdayOfMonth() {
            // 6#3: the third Friday (Quartz counts Sunday as 1).
            CronSchedule s = CronSchedule.parse("0 0 12 ? * 6#3", CronDialect.QUARTZ, UTC);
            assertThat(fires(s, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z")).containsExactlyElementsOf(
                    instants("2026-01-16T12:00:00Z", "2026-02-20T12:00:00Z"));
        }

        @Test
        void quartzYearsFieldStopsFiring() {
            CronSchedule s = CronSchedule.parse("0 0 0 1 1 ? 2027-2028", null, UTC);
            assertThat(fires(s, "2026-06-01T00:00:00Z", "2035-01-01T00:00:00Z")).containsExactlyElementsOf(
                    instants("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"));
        }

        @Test
        void quartzRefusesWhatQuartzWouldIgnore() {
            // Quartz 2.5.2 reads these as MON, 5, '?', '*', 15W, every minute, JAN, Monday-Friday: Cronstream says why not
            for (String cron : List.of("0 0 12 ? * MONDAY", "0 5X * * * ?", "0 0 12 1 * ?X", "0 *X 12 1 * ?",
                    "0 0 12 15WX * ?", "0 */0 * * * ?", "0 0 12 1 JAN/2 ?", "0 0 12 ? * MON-FRI/2", "0 0 12 1,,2 * ?",
                    "0 0 12 ? * 2#1,3", "0 0 12 0W * ?", "0 0 12 ? * 8#1", "0 0 12 5-0 * ?", "0 0 12 1 * ? 1969")) {
                assertThatThrownBy(() -> CronSchedule.parse(cron, CronDialect.QUARTZ, UTC)).as(cron)
                        .hasMessageStartingWith("Invalid cron expression '" + cron + "': ")
                        .hasMessageEndingWith("(cronType QUARTZ)");
            }
        }

        @Test
        void quartzRangesWrapAroundTheField() {
            CronSchedule s = CronSchedule.parse("0 0 22-1 ? * FRI-MON", CronDialect.QUARTZ, UTC);
            // 2027-01-01 is a Friday: 22:00, 23:00 Friday, then 00:00, 01:00 ... Monday 01:00
            assertThat(fires(s, "2027-01-01T12:00:00Z", "2027-01-02T02:00:00Z")).containsExactlyElementsOf(instants(
                    "2027-01-01T22:00:00Z", "2027-01-01T23:00:00Z", "2027-01-02T00:00:00Z", "2027-01-02T01:00:00Z"));
        }

        @Test
        void unixEitherDayFieldWhenBothAreRestricted() {
            // Vixie cron: the 1st of the month or a Monday; with a '*' day field, both must match
            assertThat(fires(CronSchedule.parse("0 0 1 * MON", null, UTC), "2027-01-01T00:00:00Z",
                    "2027-02-02T00:00:00Z")).containsExactlyElementsOf(instants("2027-01-04T00:00:00Z",
                            "2027-01-11T00:00:00Z", "2027-01-18T00:00:00Z", "2027-01-25T00:00:00Z",
                            "2027-02-01T00:00:00Z"));
            assertThat(fires(CronSchedule.parse("0 0 */10 * MON", null, UTC), "2027-01-01T00:00:00Z",
                    "2027-04-01T00:00:00Z")).containsExactlyElementsOf(instants("2027-01-11T00:00:00Z",
                            "2027-02-01T00:00:00Z", "2027-03-01T00:00:00Z"));
        }

        @Test
        void expressionsOverTheLimitsAreRefused() {
            String long513 = "0".repeat(505) + " * * * *";
            assertThatThrownBy(() -> CronSchedule.parse(long513, null, UTC))
                    .hasMessageEndingWith("513 characters, at most 512 are allowed");
            assertThatThrownBy(() -> CronSchedule.parse("0" + ",0".repeat(60) + " * * * *", null, UTC))
                    .hasMessageContaining("field 1 lists 61 items, at most 60 are allowed");
            assertThat(CronSchedule.parse("0" + ",0".repeat(59) + " * * * *", null, UTC).dialect())
                    .isEqualTo(CronDialect.UNIX);
        }

        @Test
        void macros() {
            assertThat(CronSchedule.parse("@hourly", null, UTC).nextAfter(Instant.parse("2026-01-01T10:20:00Z")))
                    .contains(Instant.parse("2026-01-01T11:00:00Z"));
            assertThat(CronSchedule.parse("@daily", null, UTC).nextAfter(Instant.parse("2026-01-01T10:20:00Z")))
                    .contains(Instant.parse("2026-01-02T00:00:00Z"));
            assertThat(CronSchedule.parse("@weekly", null, UTC).nextAfter(Instant.parse("2026-01-01T10:20:00Z")))
                    .contains(Instant.parse("2026-01-04T00:00:00Z"));
            assertThat(CronSchedule.parse("@monthly", null, UTC).nextAfter(Instant.parse("2026-01-01T10:20:00Z")))
                    .contains(Instant.parse("2026-02-01T00:00:00Z"));
            assertThat(CronSchedule.parse("@yearly", null, UTC).nextAfter(Instant.parse("2026-01-01T10:20:00Z")))
                    .contains(Instant.parse("2027-01-01T00:00:00Z"));
        }

        @Test
        void wrongFieldCountsSayWhatWasExpected() {
            assertThatThrownBy(() -> CronSchedule.parse("* * * *", null, UTC))
                    .hasMessage("Invalid cron expression '* * * *': expected 5, 6 or 7 fields, got 4");
            assertThatThrownBy(() -> CronSchedule.parse("0 * * * *", CronDialect.QUARTZ, UTC))
                    .hasMessage("Invalid cron expression '0 * * * *': cronType QUARTZ expects 6 or 7 fields, got 5");
            assertThatThrownBy(() -> CronSchedule.parse("@reboot", null, UTC))
                    .hasMessageContaining("unknown macro");
            assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", null, UTC))
                    .hasMessageStartingWith("Invalid cron expression '61 * * * *': ")
                    .hasMessageEndingWith("(cronType UNIX)");
        }
    }

    @Nested
    class DaylightSaving {

        @Test
        void berlinSpringForwardFixedTimeFiresShiftedByTheGap() {
            // 2026-03-29: 02:00 CET jumps to 03:00 CEST. 02:30 does not exist; it fires at 03:30 CEST.
            CronSchedule s = CronSchedule.parse("30 2 * * *", null, BERLIN);
            assertThat(fires(s, "2026-03-27T12:00:00Z", "2026-03-30T12:00:00Z")).containsExactlyElementsOf(instants(
                    "2026-03-28T01:30:00Z", // 02:30 CET
                    "2026-03-29T01:30:00Z", // 03:30 CEST, shifted
                    "2026-03-30T00:30:00Z")); // 02:30 CEST
        }

        @Test
        void berlinFallBackFixedTimeFiresOnceAtFirstOccurrence() {
            // 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
            CronSchedule s = CronSchedule.parse("30 2 * * *", null, BERLIN);
            assertThat(fires(s, "2026-10-23T12:00:00Z", "2026-10-26T12:00:00Z")).containsExactlyElementsOf(instants(
                    "2026-10-24T00:30:00Z", // 02:30 CEST
                    "2026-10-25T00:30:00Z", // 02:30 CEST, first occurrence only
                    "2026-10-26T01:30:00Z")); // 02:30 CET
        }

        @Test
        void berlinHourlyWildcardFiresEveryRealHour() {
            CronSchedule s = CronSchedule.parse("0 * * * *", null, BERLIN);
            assertThat(fires(s, "2026-03-28T23:30:00Z", "2026-03-29T03:00:00Z")).containsExactlyElementsOf(instants(
                    "2026-03-29T00:00:00Z", // 01:00 CET
                    "2026-03-29T01:00:00Z", // 03:00 CEST (02:00 does not exist)
                    "2026-03-29T02:00:00Z")); // 04:00 CEST
            assertThat(fires(s, "2026-10-24T23:30:00Z", "2026-10-25T03:00:00Z")).containsExactlyElementsOf(instants(
                    "2026-10-25T00:00:00Z", // 02:00 CEST
                    "2026-10-25T01:00:00Z", // 02:00 CET, the second pass
                    "2026-10-25T02:00:00Z")); // 03:00 CET
        }

        @Test
        void newYorkSpringForwardAndFallBack() {
            // 2026-03-08: 02:00 EST → 03:00 EDT. 2026-11-01: 02:00 EDT → 01:00 EST.
            CronSchedule daily = CronSchedule.parse("30 2 * * *", null, NEW_YORK);
            assertThat(fires(daily, "2026-03-07T12:00:00Z", "2026-03-09T12:00:00Z")).containsExactlyElementsOf(
                    instants("2026-03-08T07:30:00Z", // 03:30 EDT: 02:30 does not exist, shifted by the gap
                            "2026-03-09T06:30:00Z")); // 02:30 EDT
            CronSchedule oneThirty = CronSchedule.parse("30 1 * * *", null, NEW_YORK);
            assertThat(fires(oneThirty, "2026-10-31T12:00:00Z", "2026-11-02T12:00:00Z")).containsExactlyElementsOf(
                    instants("2026-11-01T05:30:00Z", // 01:30 EDT, first occurrence only
                            "2026-11-02T06:30:00Z")); // 01:30 EST
            CronSchedule hourly = CronSchedule.parse("0 * * * *", null, NEW_YORK);
            assertThat(fires(hourly, "2026-11-01T04:30:00Z", "2026-11-01T08:00:00Z")).containsExactlyElementsOf(
                    instants("2026-11-01T05:00:00Z", // 01:00 EDT
                            "2026-11-01T06:00:00Z", // 01:00 EST, the second pass
                            "2026-11-01T07:00:00Z")); // 02:00 EST
            assertThat(fires(hourly, "2026-03-08T05:30:00Z", "2026-03-08T08:00:00Z")).containsExactlyElementsOf(
                    instants("2026-03-08T06:00:00Z", // 01:00 EST
                            "2026-03-08T07:00:00Z")); // 03:00 EDT
        }

        @Test
        void startingInsideTheRepeatedHourDoesNotFireItAgain() {
            CronSchedule s = CronSchedule.parse("30 2 * * *", null, BERLIN);
            // 02:10 CET, second pass: 02:30 already fired in the first pass.
            assertThat(s.nextAfter(Instant.parse("2026-10-25T01:10:00Z")))
                    .contains(Instant.parse("2026-10-26T01:30:00Z"));
        }
    }

    /** Issue 24's defect classes and issue 23's repeated-hour walk: each failed before the engine of its own. */
    @Nested
    class Regressions {

        @Test
        void fallBackFirstPassIsKeptWhenTheSearchStartsOnAnEarlierDayThatDoesNotMatch() {
            // 2027-10-31 (a Sunday) falls back in Berlin; the search starts on the Saturday.
            CronSchedule sunday = CronSchedule.parse("30 2 * * 0", null, BERLIN);
            assertThat(fires(sunday, "2027-10-30T12:00:00Z", "2027-11-08T00:00:00Z")).containsExactlyElementsOf(
                    instants("2027-10-31T00:30:00Z", // 02:30 CEST, the first pass
                            "2027-11-07T01:30:00Z"));
            // Havana falls back 01:00 -> 00:00 on 2027-11-07: a wildcard hour fires in both passes.
            CronSchedule havana = CronSchedule.parse("32 * * * 0", null, ZoneId.of("America/Havana"));
            assertThat(fires(havana, "2027-11-06T12:00:00Z", "2027-11-07T07:00:00Z")).containsExactlyElementsOf(
                    instants("2027-11-07T04:32:00Z", // 00:32 -04:00
                            "2027-11-07T05:32:00Z", // 00:32 -05:00, the second pass
                            "2027-11-07T06:32:00Z")); // 01:32 -05:00
        }

        @Test
        void subHourGapsKeepTheRestOfTheirHour() {
            // Lord Howe jumps 02:00 -> 02:30 on 2027-10-03: 02:45 exists, 02:15 fires shifted by the gap (02:45).
            ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
            assertThat(fires(CronSchedule.parse("45 2 * * *", null, lordHowe), "2027-10-01T00:00:00Z",
                    "2027-10-04T00:00:00Z")).containsExactlyElementsOf(instants(
                            "2027-10-01T16:15:00Z", "2027-10-02T15:45:00Z", "2027-10-03T15:45:00Z"));
            assertThat(fires(CronSchedule.parse("15 2 * * *", null, lordHowe), "2027-10-01T00:00:00Z",
                    "2027-10-04T00:00:00Z")).containsExactlyElementsOf(instants(
                            "2027-10-01T15:45:00Z", "2027-10-02T15:45:00Z", "2027-10-03T15:15:00Z"));
            // Chatham jumps 02:45 -> 03:45 on 2030-09-29: 03:50 exists.
            assertThat(fires(CronSchedule.parse("50 3 * * *", null, ZoneId.of("Pacific/Chatham")),
                    "2030-09-27T00:00:00Z", "2030-09-30T00:00:00Z")).containsExactlyElementsOf(instants(
                            "2030-09-27T15:05:00Z", "2030-09-28T14:05:00Z", "2030-09-29T14:05:00Z"));
        }

        @Test
        void nearestWeekdayNearTheEndOfTheMonth() {
            // No 31st in February or April: those months have no fire. 2028-01-31 is a Monday, 2028-03-31 a Friday.
            assertThat(fires(CronSchedule.parse("0 0 1,2 31W * ?", CronDialect.QUARTZ, UTC), "2028-01-10T00:00:00Z",
                    "2028-05-01T00:00:00Z")).containsExactlyElementsOf(instants("2028-01-31T01:00:00Z",
                            "2028-01-31T02:00:00Z", "2028-03-31T01:00:00Z", "2028-03-31T02:00:00Z"));
            // 2028-01-30 is a Sunday (Monday the 31st); no 30th in February; 2028-04-30 is a Sunday and the month's
            // last day, so the Friday before (Quartz's rule: W never leaves the month).
            assertThat(fires(CronSchedule.parse("0 0 0 30W * ?", CronDialect.QUARTZ, UTC), "2028-01-15T00:00:00Z",
                    "2028-05-01T00:00:00Z")).containsExactlyElementsOf(instants("2028-01-31T00:00:00Z",
                            "2028-03-30T00:00:00Z", "2028-04-28T00:00:00Z"));
        }

        @Test
        void unixDayOfWeekRangeFromSunday() {
            // 2027-01-01 is a Friday.
            assertThat(fires(CronSchedule.parse("0 0 * * SUN-THU", null, UTC), "2027-01-01T00:00:00Z",
                    "2027-01-11T00:00:00Z")).containsExactlyElementsOf(instants("2027-01-03T00:00:00Z",
                            "2027-01-04T00:00:00Z", "2027-01-05T00:00:00Z", "2027-01-06T00:00:00Z",
                            "2027-01-07T00:00:00Z", "2027-01-10T00:00:00Z"));
        }

        @Test
        void macrosWithCronTypeSpring() {
            assertThat(CronSchedule.parse("@daily", CronDialect.SPRING, UTC).nextAfter(Instant.parse("2027-01-01T10:00:00Z")))
                    .contains(Instant.parse("2027-01-02T00:00:00Z"));
            assertThat(CronSchedule.parse("@hourly", CronDialect.SPRING, UTC).nextAfter(Instant.parse("2027-01-01T10:20:00Z")))
                    .contains(Instant.parse("2027-01-01T11:00:00Z"));
        }

        @Test
        void springQuestionMarkInBothDayFields() {
            assertThat(CronSchedule.parse("0 0 12 ? * ?", CronDialect.SPRING, UTC).nextAfter(
                    Instant.parse("2027-01-01T13:00:00Z"))).contains(Instant.parse("2027-01-02T12:00:00Z"));
        }

        @Test
        void dayOfWeekZeroToSevenStepSeven() {
            for (CronSchedule sundays : List.of(CronSchedule.parse("0 0 * * 0-7/7", null, UTC),
                    CronSchedule.parse("0 0 0 * * 0-7/7", CronDialect.SPRING, UTC))) {
                assertThat(fires(sundays, "2027-01-01T00:00:00Z", "2027-01-18T00:00:00Z")).as(sundays.expression())
                        .containsExactlyElementsOf(instants("2027-01-03T00:00:00Z", "2027-01-10T00:00:00Z",
                                "2027-01-17T00:00:00Z"));
            }
        }

        @Test
        void quartzLastDayOffsetZero() {
            assertThat(fires(CronSchedule.parse("0 0 0 L-0 * ?", CronDialect.QUARTZ, UTC), "2027-01-15T00:00:00Z",
                    "2027-04-01T00:00:00Z")).containsExactlyElementsOf(instants("2027-01-31T00:00:00Z",
                            "2027-02-28T00:00:00Z", "2027-03-31T00:00:00Z"));
        }

        @Test
        void springStepOverAWildcardDayOfWeekStartsOnMonday() {
            // Spring's days of the week run 1 (Monday) to 7 (Sunday): */2 is Monday, Wednesday, Friday, Sunday.
            assertThat(fires(CronSchedule.parse("0 0 0 * * */2", CronDialect.SPRING, UTC), "2027-01-01T00:00:00Z",
                    "2027-01-11T00:00:00Z")).containsExactlyElementsOf(instants("2027-01-03T00:00:00Z",
                            "2027-01-04T00:00:00Z", "2027-01-06T00:00:00Z", "2027-01-08T00:00:00Z",
                            "2027-01-10T00:00:00Z"));
        }

        @Test
        void aWalkThroughTwoRepeatedHoursDoesNotGiveUp() {
            // Troll falls back 03:00 +02:00 -> 01:00 +00:00 on 2027-10-31: with a fixed hour field, the two repeated
            // hours fire in their first pass only, so the second-by-second series goes on at 03:00 +00:00.
            CronSchedule everySecond = CronSchedule.parse("* * 0-23 * * *", null, ZoneId.of("Antarctica/Troll"));
            JobSchedule window = new JobSchedule(everySecond, null, null, null);
            Instant first = everySecond.nextAfter(Instant.parse("2027-10-31T00:59:30Z")).orElseThrow();
            List<Instant> fifty = window.upcoming(first, 0, 50);
            assertThat(fifty).hasSize(50);
            assertThat(fifty.get(28)).isEqualTo(Instant.parse("2027-10-31T00:59:59Z"));
            assertThat(fifty.get(29)).isEqualTo(Instant.parse("2027-10-31T03:00:00Z"));
            assertThat(fifty.get(49)).isEqualTo(Instant.parse("2027-10-31T03:00:20Z"));
        }
    }
}
