package io.cronstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The encodings a job document's fields may arrive in, one field at a time: the examples show whole
 * documents, these pin down the edges of each format.
 */
class JobDefinitionSchemaTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "\"_id\": \"670a1b2c3d4e5f6789abcdef\"",
        "\"_id\": {\"$oid\": \"670A1B2C3D4E5F6789ABCDEF\"}",
        "\"scheduleType\": \"cRoN\"",
        "\"scheduleType\": \"INTERVAL\"",
        "\"cronExpression\": \"0 0/5 14,18 * * ?\"",
        "\"cronExpression\": \"@hourly\"",
        "\"schedule\": \"*/30 * * * *\"",
        "\"cron\": \"0 0 12 ? * MON-FRI 2026\"",
        "\"interval\": \"PT30M\"",
        "\"interval\": \"P1DT2H\"",
        "\"interval\": \"PT0.5S\"",
        "\"interval\": \"0:30\"",
        "\"interval\": \"23:59:59.9999999\"",
        "\"interval\": \"12.00:00:00\"",
        "\"interval\": 1800",
        "\"interval\": 0.25",
        "\"interval\": {\"$numberInt\": \"1800\"}",
        "\"interval\": {\"$numberLong\": \"1800\"}",
        "\"runAt\": \"2026-01-15T06:00:00.123456789Z\"",
        "\"runAt\": {\"$date\": \"2026-01-15T07:00:00+01:00\"}",
        "\"runAt\": {\"$date\": {\"$numberLong\": \"-86400000\"}}",
        "\"timeZone\": \"America/Argentina/Buenos_Aires\"",
        "\"timeZone\": \"Etc/GMT+5\"",
        "\"maxRuns\": {\"$numberLong\": \"5\"}",
        "\"runCount\": {\"$numberInt\": \"0\"}",
        "\"parameters\": null",
        "\"cronType\": null",
        "\"enabled\": false",
        "\"somethingTheBackendKeeps\": [1, 2, 3]"
    })
    void accepts(String field) {
        assertThat(errors(field)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"_id\": null",
        "\"_id\": \"\"",
        "\"_id\": {\"$oid\": \"670a1b2c3d4e5f6789abcdef\", \"$extra\": 1}",
        "\"scheduleType\": \"Crons\"",
        "\"scheduleType\": 0",
        "\"cronExpression\": \"* * * *\"",
        "\"cronExpression\": \"* * * * * * * *\"",
        "\"cronExpression\": \"@reboot\"",
        "\"cronExpression\": \" 0 2 * * *\"",
        "\"interval\": \"P\"",
        "\"interval\": \"PT\"",
        "\"interval\": \"P1DT\"",
        "\"interval\": \"P1W\"",
        "\"interval\": \"pt30m\"",
        "\"interval\": \"24:00:00\"",
        "\"interval\": \"00:60:00\"",
        "\"interval\": -5",
        "\"interval\": {\"$numberInt\": \"-5\"}",
        "\"interval\": {\"$numberInt\": \"05\"}",
        "\"runAt\": \"2026-01-15\"",
        "\"runAt\": \"2026-02-30T00:00:00Z\"",
        "\"runAt\": 1768456800000",
        "\"runAt\": {\"$date\": 1768456800000}",
        "\"runAt\": {\"$date\": {\"$numberLong\": \"soon\"}}",
        "\"timeZone\": \"\"",
        "\"timeZone\": \"Europe/ Berlin\"",
        "\"maxRuns\": -1",
        "\"maxRuns\": 2.5",
        "\"runCount\": {\"$numberInt\": \"1\", \"$numberLong\": \"1\"}",
        "\"payload\": \"libraryId=2\"",
        "\"isDeleted\": 1",
        "\"overlapPolicy\": \"allow\""
    })
    void refuses(String field) {
        assertThat(errors(field)).isNotEmpty();
    }

    private static List<String> errors(String field) {
        try {
            return SchemaCatalog.instance().validate("job-definition", Json.mapper().readTree("{" + field + "}"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
