package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.MisfirePolicy;
import io.cronstream.ticker.job.OverlapPolicy;
import io.cronstream.ticker.job.ParsedJob;
import io.cronstream.ticker.job.ScheduleType;
import io.cronstream.ticker.schedule.CronDialect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobDefinitionParserTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final JobDefinitionParser parser = new JobDefinitionParser(JobDefinitionParser.Defaults.standard());

    private ParsedJob parse(String key, String json) {
        return parser.parse(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private JobDefinition define(String json) {
        ParsedJob parsed = parse("job-1", json);
        assertThat(parsed).isInstanceOf(ParsedJob.Defined.class);
        return ((ParsedJob.Defined) parsed).definition();
    }

    @Test
    void relaxedExtendedJsonAsTheConnectorWritesIt() {
        JobDefinition job = (((ParsedJob.Defined) parse("670a1b2c3d4e5f6789abcdef", """
                {"_id": {"$oid": "670a1b2c3d4e5f6789abcdef"}, "name": "Library Scan - My Photos",
                 "jobType": "LibraryScan", "cronExpression": "0 2 * * *", "isEnabled": true,
                 "parameters": {"libraryId": {"$oid": "670a1b2c3d4e5f6789abcd00"}, "depth": {"$numberLong": "3"}},
                 "startAt": {"$date": {"$numberLong": "1767225600000"}}, "maxRuns": {"$numberInt": "5"},
                 "createdAt": {"$date": "2025-10-11T00:00:00Z"}}
                """)).definition());
        assertThat(job.jobId()).isEqualTo("670a1b2c3d4e5f6789abcdef");
        assertThat(job.valid()).as(job.error()).isTrue();
        assertThat(job.name()).isEqualTo("Library Scan - My Photos");
        assertThat(job.jobType()).isEqualTo("LibraryScan");
        assertThat(job.scheduleType()).isEqualTo(ScheduleType.CRON);
        assertThat(job.cronType()).isEqualTo(CronDialect.UNIX);
        assertThat(job.payload().get("libraryId").asText()).isEqualTo("670a1b2c3d4e5f6789abcd00");
        assertThat(job.payload().get("depth").asLong()).isEqualTo(3);
        assertThat(job.startAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(job.maxRuns()).isEqualTo(5);
        assertThat(job.description()).isEqualTo("at 02:00 (UTC)");
    }

    @Test
    void simplifiedJsonAndTheOtherSpellings() {
        JobDefinition job = define("""
                {"_id": "job-1", "displayName": "Plex scan", "type": "plex_library_scan", "schedule": "0 */6 * * *",
                 "enabled": false, "payload": {"libraryId": "2"}, "timeZone": "Europe/Berlin",
                 "runAt": null, "startAt": "2026-02-01T00:00:00Z", "endAt": "2026-12-31T23:59:59Z",
                 "misfirePolicy": "fire-all", "catchupWindow": "02:00:00", "overlapPolicy": "skip",
                 "stuckAfter": 600, "failAfter": "PT2H"}
                """);
        assertThat(job.valid()).as(job.error()).isTrue();
        assertThat(job.name()).isEqualTo("Plex scan");
        assertThat(job.jobType()).isEqualTo("plex_library_scan");
        assertThat(job.cron()).isEqualTo("0 */6 * * *");
        assertThat(job.enabled()).isFalse();
        assertThat(job.timeZone()).isEqualTo("Europe/Berlin");
        assertThat(job.misfirePolicy()).isEqualTo(MisfirePolicy.FIRE_ALL);
        assertThat(job.catchupWindow()).isEqualTo(Duration.ofHours(2));
        assertThat(job.overlapPolicy()).isEqualTo(OverlapPolicy.SKIP);
        assertThat(job.stuckAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(job.failAfter()).isEqualTo(Duration.ofHours(2));
        assertThat(job.endAt()).isEqualTo(Instant.parse("2026-12-31T23:59:59Z"));
    }

    @Test
    void defaultsFillWhatTheDocumentLeavesOut() {
        JobDefinition job = define("{\"cron\": \"@daily\"}");
        assertThat(job.valid()).isTrue();
        assertThat(job.name()).isEqualTo("job-1");
        assertThat(job.jobType()).isEqualTo("generic");
        assertThat(job.timeZone()).isEqualTo("UTC");
        assertThat(job.enabled()).isTrue();
        assertThat(job.payload().isObject()).isTrue();
        assertThat(job.payload().size()).isZero();
        assertThat(job.misfirePolicy()).isEqualTo(MisfirePolicy.FIRE_ONCE);
        assertThat(job.catchupWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(job.overlapPolicy()).isEqualTo(OverlapPolicy.ALLOW);
        assertThat(job.stuckAfter()).isEqualTo(Duration.ofMinutes(5));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"scheduleType\": \"Interval\", \"interval\": \"PT30M\"}          | INTERVAL | 30 minutes",
        "{\"scheduleType\": \"interval\", \"interval\": \"00:30:00\"}        | INTERVAL | 30 minutes",
        "{\"interval\": 1800}                                                | INTERVAL | 30 minutes",
        "{\"interval\": \"1.02:00:00\"}                                      | INTERVAL | 1 day 2 hours",
        "{\"scheduleType\": \"Once\", \"runAt\": \"2026-03-01T09:00:00Z\"}   | ONCE     | once at 2026-03-01T09:00:00Z",
        "{\"scheduleType\": \"MANUAL\"}                                      | MANUAL   | manual trigger only",
        "{\"cronExpression\": \"0 0 12 ? * 6#3\", \"cronType\": \"quartz\"}  | CRON     | ''",
    })
    void scheduleKinds(String json, ScheduleType type, String described) {
        JobDefinition job = define(json);
        assertThat(job.valid()).as(job.error()).isTrue();
        assertThat(job.scheduleType()).isEqualTo(type);
        assertThat(job.description()).contains(described);
    }

    @Test
    void onceWithoutOffsetIsReadInTheJobsTimeZone() {
        JobDefinition job = define("{\"runAt\": \"2026-03-01T09:00:00\", \"timeZone\": \"Europe/Berlin\"}");
        assertThat(job.runAt()).isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"cronExpression\": \"* * * *\"}                      | field 'cronExpression': Invalid cron expression '* * * *': expected 5, 6 or 7 fields, got 4",
        "{\"cronExpression\": \"0 61 * * *\"}                   | field 'cronExpression': Invalid cron expression '0 61 * * *'",
        "{\"cron\": \"0 0 30 2 *\"}                             | field 'cronExpression': '0 0 30 2 *' never fires after 2026-01-01T00:00:00Z",
        "{\"cron\": \"0 0 * * *\", \"timeZone\": \"Mars/Olympus\"} | field 'timeZone': unknown time zone 'Mars/Olympus', expected an IANA id like 'Europe/Berlin' or 'UTC'",
        "{\"interval\": \"-PT5M\"}                              | field 'interval': must be a positive duration, got string '-PT5M'",
        "{\"interval\": 0}                                      | field 'interval': must be a positive duration, got number 0",
        "{\"interval\": \"soon\"}                               | field 'interval': expected a duration like 'PT30M', '1800' (seconds) or '00:30:00', got 'soon'",
        "{\"name\": \"no schedule\"}                            | field 'scheduleType': no schedule: set cronExpression (or schedule/cron), interval, runAt, or scheduleType 'Manual'",
        "{\"scheduleType\": \"Cron\"}                           | field 'cronExpression': scheduleType Cron needs a cron expression in cronExpression, schedule or cron",
        "{\"scheduleType\": \"Weekly\", \"cron\": \"0 0 * * *\"} | field 'scheduleType': expected one of CRON, INTERVAL, ONCE, MANUAL (any case), got string 'Weekly'",
        "{\"cron\": 5}                                          | field 'cron': expected a string, got number 5",
        "{\"cron\": \"0 0 * * *\", \"isEnabled\": \"yes\"}      | field 'isEnabled': expected true or false, got string 'yes'",
        "{\"cron\": \"0 0 * * *\", \"maxRuns\": -1}             | field 'maxRuns': expected a whole number of at least 1, got number -1",
        "{\"cron\": \"0 0 * * *\", \"runAt\": \"tomorrow\"}     | field 'runAt': expected an ISO-8601 date-time like '2026-01-31T09:00:00Z' or epoch milliseconds, got string 'tomorrow'",
        "{\"cron\": \"0 0 * * *\", \"parameters\": [1, 2]}      | field 'parameters': expected an object, got array [1,2]",
        "{\"cron\": \"0 0 * * *\", \"misfirePolicy\": \"RETRY\"} | field 'misfirePolicy': expected one of FIRE_ONCE, SKIP, FIRE_ALL (any case), got string 'RETRY'",
        "{\"cron\": \"0 0 * * *\", \"startAt\": \"2026-05-01T00:00:00Z\", \"endAt\": \"2026-04-01T00:00:00Z\"} | field 'endAt': '2026-04-01T00:00:00Z' is before startAt '2026-05-01T00:00:00Z'",
        "{\"_id\": \"other\", \"cron\": \"0 0 * * *\"}          | field '_id': 'other' does not match the record key 'job-1'",
        "{\"runAt\": \"9999-12-31T23:59:59Z\"}                | field 'runAt': expected a time between 1970-01-01 and 2099-12-31, got string '9999-12-31T23:59:59Z'",
        "{\"runAt\": \"+999999999-12-31T23:59:59Z\"}          | field 'runAt': expected a time between 1970-01-01 and 2099-12-31",
        "{\"runAt\": 9223372036854775807}                     | field 'runAt': expected a time between 1970-01-01 and 2099-12-31",
        "{\"cron\": \"0 0 * * *\", \"startAt\": \"1969-12-31T00:00:00Z\"} | field 'startAt': expected a time between 1970-01-01 and 2099-12-31",
        "{\"cron\": \"0 0 * * *\", \"endAt\": \"+10000-01-01T00:00:00Z\"} | field 'endAt': expected a time between 1970-01-01 and 9999-12-31T23:59:59.999Z",
        "{\"cron\": \"0 0 * * *\", \"stuckAfter\": \"PT8760000000000H\"} | field 'stuckAfter': must be at most 100 years (PT876600H)",
        "{\"interval\": \"PT876601H\"}                        | field 'interval': must be at most 100 years (PT876600H)",
    })
    void invalidDefinitionsAreKeptWithAnActionableError(String json, String error) {
        JobDefinition job = define(json);
        assertThat(job.valid()).isFalse();
        assertThat(job.error()).startsWith(error);
        assertThat(job.jobId()).isEqualTo("job-1");
    }

    @Test
    void aCronOverTheLimitsIsInvalidAndNamesTheLimit() {
        // issue 23: a 20,000-item minute list (57 KB) stalled every fire of the job; now it is refused as it is read
        String minutes = java.util.stream.IntStream.range(0, 20_000).mapToObj(i -> Integer.toString(i % 60))
                .collect(java.util.stream.Collectors.joining(","));
        JobDefinition huge = define("{\"cronExpression\": \"" + minutes + " * * * *\"}");
        assertThat(huge.valid()).isFalse();
        assertThat(huge.error()).startsWith("field 'cronExpression': Invalid cron expression '0,1,2,")
                .endsWith((minutes.length() + 8) + " characters, at most 512 are allowed");
        JobDefinition longList = define("{\"cronExpression\": \"0" + ",0".repeat(60) + " * * * *\"}");
        assertThat(longList.error()).contains("field 1 lists 61 items, at most 60 are allowed");
        assertThat(define("{\"cronExpression\": \"0" + ",0".repeat(59) + " * * * *\"}").valid()).isTrue();
    }

    @Test
    void anEndIn9999IsNoEnd() {
        JobDefinition job = define("{\"cron\": \"0 0 * * *\", \"endAt\": \"9999-12-31T23:59:59Z\"}");
        assertThat(job.valid()).isTrue();
        assertThat(job.endAt()).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void aDocumentOver256KbIsRefused() {
        String big = "{\"cron\": \"0 0 * * *\", \"payload\": {\"x\": \"" + "x".repeat(256 * 1024) + "\"}}";
        assertThatThrownBy(() -> parse("job-1", big)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("more than the 262144 a job definition may have");
    }

    @Test
    void everyProblemIsListedNotJustTheFirst() {
        JobDefinition job = define("{\"cron\": 5, \"timeZone\": \"Nowhere\", \"isEnabled\": 1}");
        assertThat(job.error()).contains("field 'cron'", "field 'timeZone'", "field 'isEnabled'");
    }

    @Test
    void tombstonesAndSoftDeletesAreDeletions() {
        assertThat(parse("job-1", null)).isEqualTo(new ParsedJob.Deleted("job-1"));
        assertThat(parse("job-1", "{\"cron\": \"0 0 * * *\", \"isDeleted\": true}"))
                .isEqualTo(new ParsedJob.Deleted("job-1"));
    }

    @Test
    void keyInOtherJsonSpellingsIsNormalised() {
        assertThat(parse("{\"_id\": {\"$oid\": \"abc\"}}", "{\"cron\": \"@daily\"}").jobId()).isEqualTo("abc");
        assertThat(parse("\"abc\"", "{\"cron\": \"@daily\"}").jobId()).isEqualTo("abc");
        assertThat(parse(null, "{\"_id\": \"abc\", \"cron\": \"@daily\"}").jobId()).isEqualTo("abc");
    }

    @Test
    void recordsWithNoDocumentToKeepAreRefused() {
        assertThatThrownBy(() -> parse("job-1", "{\"cron\": \"0 0 * *")).isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> parse("job-1", "[1, 2]")).hasMessage("a job definition must be a JSON object, got array [1,2]");
        assertThatThrownBy(() -> parse(null, "{\"cron\": \"@daily\"}")).hasMessageStartingWith("missing job id");
        assertThatThrownBy(() -> parse(null, null)).hasMessageStartingWith("missing job id");
        // found by GeneratedInputTest: a blank id was kept, then every fire of it was refused downstream
        assertThatThrownBy(() -> parse(" ", "{\"runAt\": \"2026-01-05T10:00:00Z\"}"))
                .hasMessageStartingWith("missing job id");
        assertThatThrownBy(() -> parse(null, "{\"_id\": \"\\t\", \"cron\": \"@daily\"}"))
                .hasMessageStartingWith("missing job id");
        assertThatThrownBy(() -> parse("a\u0000b", "{\"cron\": \"@daily\"}")).hasMessage("job id contains control characters");
        assertThatThrownBy(() -> parse("x".repeat(300), "{}")).hasMessageContaining("at most 256");
        assertThatThrownBy(() -> parser.parse("k".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x28}, NOW))
                .hasMessage("record value is not valid UTF-8");
        assertThatThrownBy(() -> parse("job-1", "[".repeat(200) + "]".repeat(200))).hasMessageStartingWith("malformed JSON");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"scheduleType": "Interval", "schedule": "0 * * * *"}      | field 'interval': scheduleType Interval needs an interval
            {"scheduleType": "Interval", "cron": "0 * * * *"}          | field 'interval': scheduleType Interval needs an interval
            {"scheduleType": "Once", "cronExpression": "0 * * * *"}    | field 'runAt': scheduleType Once needs runAt
            {"scheduleType": "Once", "schedule": "0 * * * *"}          | field 'runAt': scheduleType Once needs runAt
            {"interval": 0.0005}                                       | field 'interval': must be at least 1 second
            {"interval": "PT0.0001S"}                                  | field 'interval': must be at least 1 second
            {"scheduleType": "Interval", "interval": "00:00:00.5"}     | field 'interval': must be at least 1 second
            """)
    void aScheduleFieldOfTheWrongKindOrOutOfRangeIsInvalidAndNamed(String json, String error) {
        JobDefinition job = define(json);
        assertThat(job.valid()).isFalse();
        assertThat(job.error()).contains(error);
    }
}
