package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.AlertKind;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.Notify;
import io.cronstream.ticker.job.ParsedJob;
import io.cronstream.ticker.job.RetryPolicy;
import io.cronstream.ticker.job.Upstream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 16: retry, runTimeout, startDeadline, pauseOnFailure, after and notify as the parser reads them. */
class FailureFieldsParserTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final JobDefinitionParser PARSER = new JobDefinitionParser(JobDefinitionParser.Defaults.standard());

    private static JobDefinition define(String fieldsJson) {
        String json = "{\"cron\": \"@daily\"" + (fieldsJson.isBlank() ? "" : ", " + fieldsJson) + "}";
        ParsedJob parsed = PARSER.parse("job-1".getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8), NOW);
        assertThat(parsed).isInstanceOf(ParsedJob.Defined.class);
        return ((ParsedJob.Defined) parsed).definition();
    }

    @Test
    void withoutTheFieldsAJobHasNoRetryNoTimeoutsNoChainAndTheGlobalNotifications() {
        JobDefinition job = define("");
        assertThat(job.valid()).isTrue();
        assertThat(job.retry()).isEqualTo(RetryPolicy.NONE);
        assertThat(job.runTimeout()).isNull();
        assertThat(job.startDeadline()).isNull();
        assertThat(job.pauseOnFailure()).isNull();
        assertThat(job.after()).isEmpty();
        assertThat(job.notifications()).isNull();
    }

    @Test
    void everyFieldInTheSpellingsOtherDurationsAccept() {
        JobDefinition job = define("""
                "retry": {"maxAttempts": 5, "initialInterval": 30, "backoffCoefficient": 1.5,
                          "maxInterval": "01:00:00", "jitter": 0},
                "runTimeout": "PT15M", "startDeadline": 90, "pauseOnFailure": 3,
                "after": [{"jobId": "extract", "on": "completed"}, {"jobId": "audit", "on": "ANY"}, {"jobId": "b"}],
                "notify": {"webhooks": ["https://hooks.slack.com/services/T0/B0/x", "http://10.0.0.1:8080/alert"],
                           "on": ["failed", "RETRY_EXHAUSTED"]}
                """);
        assertThat(job.valid()).as(job.error()).isTrue();
        assertThat(job.retry()).isEqualTo(new RetryPolicy(5, Duration.ofSeconds(30), 1.5, Duration.ofHours(1), 0));
        assertThat(job.runTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(job.startDeadline()).isEqualTo(Duration.ofSeconds(90));
        assertThat(job.pauseOnFailure()).isEqualTo(3);
        assertThat(job.after()).containsExactly(new Upstream("extract", Upstream.On.COMPLETED),
                new Upstream("audit", Upstream.On.ANY), new Upstream("b", Upstream.On.COMPLETED));
        assertThat(job.notifications()).isEqualTo(new Notify(
                List.of("https://hooks.slack.com/services/T0/B0/x", "http://10.0.0.1:8080/alert"),
                List.of(AlertKind.FAILED, AlertKind.RETRY_EXHAUSTED)));
    }

    @Test
    void aRetryWithOnlyMaxAttemptsTakesTheDefaults() {
        assertThat(define("\"retry\": {\"maxAttempts\": 3}").retry()).isEqualTo(new RetryPolicy(3,
                Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 0.1));
        assertThat(define("\"retry\": {}").retry()).isEqualTo(RetryPolicy.NONE);
        // a first interval beyond the default cap is its own cap rather than an error about a field not written
        assertThat(define("\"retry\": {\"maxAttempts\": 2, \"initialInterval\": \"PT1H\"}").retry().maxInterval())
                .isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "retry": 3                                               | field 'retry': expected an object, got number 3
            "retry": {"maxAttempts": 0}                              | field 'retry.maxAttempts': expected a whole number from 1 to 100, got number 0
            "retry": {"maxAttempts": -3}                             | field 'retry.maxAttempts': expected a whole number from 1 to 100
            "retry": {"maxAttempts": 101}                            | field 'retry.maxAttempts': expected a whole number from 1 to 100, got number 101
            "retry": {"maxAttempts": 2.5}                            | field 'retry.maxAttempts': expected a whole number from 1 to 100
            "retry": {"maxAttempts": 1e30}                           | field 'retry.maxAttempts': expected a whole number from 1 to 100
            "retry": {"initialInterval": "-PT10S"}                   | field 'retry.initialInterval': must be a positive duration
            "retry": {"initialInterval": 0}                          | field 'retry.initialInterval': must be a positive duration
            "retry": {"initialInterval": "P8D"}                      | field 'retry.initialInterval': must be at most 7 days (PT168H)
            "retry": {"maxInterval": "P30D"}                         | field 'retry.maxInterval': must be at most 7 days (PT168H)
            "retry": {"initialInterval": "PT1M", "maxInterval": 10}  | field 'retry.maxInterval': 'PT10S' is shorter than initialInterval 'PT1M'
            "retry": {"backoffCoefficient": 0.5}                     | field 'retry.backoffCoefficient': expected a number from 1 to 10, got number 0.5
            "retry": {"backoffCoefficient": 11}                      | field 'retry.backoffCoefficient': expected a number from 1 to 10
            "retry": {"backoffCoefficient": "2"}                     | field 'retry.backoffCoefficient': expected a number from 1 to 10, got string '2'
            "retry": {"jitter": 1.5}                                 | field 'retry.jitter': expected a number from 0 to 1, got number 1.5
            "retry": {"jitter": -0.1}                                | field 'retry.jitter': expected a number from 0 to 1
            "runTimeout": 0.5                                        | field 'runTimeout': must be at least 1 second
            "runTimeout": "PT0S"                                     | field 'runTimeout': must be a positive duration
            "runTimeout": "soon"                                     | field 'runTimeout':
            "startDeadline": "PT0.1S"                                | field 'startDeadline': must be at least 1 second
            "pauseOnFailure": 0                                      | field 'pauseOnFailure': expected a whole number from 1 to 1000, got number 0
            "pauseOnFailure": 1001                                   | field 'pauseOnFailure': expected a whole number from 1 to 1000
            "pauseOnFailure": true                                   | field 'pauseOnFailure': expected a whole number from 1 to 1000, got boolean true
            "after": "extract"                                       | field 'after': expected an array of
            "after": ["extract"]                                     | field 'after[0]': expected {"jobId": .., "on": COMPLETED|FAILED|ANY}, got string 'extract'
            "after": [{"on": "FAILED"}]                              | field 'after[0].jobId': is required
            "after": [{"jobId": 7}]                                  | field 'after[0].jobId': expected a string, got number 7
            "after": [{"jobId": ""}]                                 | field 'after[0].jobId': expected a job id
            "after": [{"jobId": "a\\u0000b"}]                        | field 'after[0].jobId': expected a job id
            "after": [{"jobId": "x", "on": "SUCCEEDED"}]             | field 'after[0].on': expected one of COMPLETED, FAILED, ANY (any case), got string 'SUCCEEDED'
            "after": [{"jobId": "job-1"}]                            | field 'after': job 'job-1' cannot run after itself
            "after": [{"jobId": "x"}, {"jobId": "x", "on": "FAILED"}] | field 'after': job 'x' is named twice
            "notify": []                                             | field 'notify': expected an object, got array []
            "notify": {"webhooks": "https://a.example"}              | field 'notify.webhooks': expected an array, got string
            "notify": {"webhooks": ["ftp://files.example/x"]}        | field 'notify.webhooks': expected an http(s) URL like 'https://hooks.example.com/T0/B0', got string 'ftp://files.example/x'
            "notify": {"webhooks": ["hooks.example.com/x"]}          | field 'notify.webhooks': expected an http(s) URL
            "notify": {"webhooks": ["https:///no-host"]}             | field 'notify.webhooks': expected an http(s) URL
            "notify": {"webhooks": ["http://a b"]}                   | field 'notify.webhooks': expected an http(s) URL
            "notify": {"webhooks": [42]}                             | field 'notify.webhooks': expected an http(s) URL like 'https://hooks.example.com/T0/B0', got number 42
            "notify": {"on": ["FAILED", "EXPLODED"]}                 | field 'notify.on': expected alert kinds [STUCK, RECOVERED, FAILED, RETRY_EXHAUSTED, TIMED_OUT, MISSED, PAUSED], got string 'EXPLODED'
            """)
    void badValuesMakeTheDefinitionInvalidAndNameTheField(String fieldsJson, String error) {
        JobDefinition job = define(fieldsJson);
        assertThat(job.valid()).isFalse();
        assertThat(job.error()).contains(error);
    }

    @Test
    void tooManyUpstreamsOrWebhooks() {
        StringBuilder after = new StringBuilder("\"after\": [");
        for (int i = 0; i <= JobDefinitionParser.MAX_UPSTREAMS; i++) {
            after.append(i == 0 ? "" : ",").append("{\"jobId\": \"u").append(i).append("\"}");
        }
        JobDefinition job = define(after + "]");
        assertThat(job.error()).contains("field 'after': names 21 jobs, at most 20 are allowed");
        JobDefinition hooks = define("\"notify\": {\"webhooks\": [" + "\"https://a.example\",".repeat(10)
                + "\"https://a.example\"]}");
        assertThat(hooks.error()).contains("field 'notify.webhooks': has 11 entries, at most 10 are allowed");
    }

    @Test
    void everyBadFieldIsListed() {
        JobDefinition job = define("\"retry\": {\"maxAttempts\": 0, \"jitter\": 2}, \"runTimeout\": 0.1, "
                + "\"after\": [{\"jobId\": \"job-1\"}]");
        assertThat(job.error()).contains("retry.maxAttempts", "retry.jitter", "runTimeout", "cannot run after itself");
    }

    /** Whatever values these fields get, the parser keeps the definition, valid or with the reason. */
    @Property(tries = 400)
    void anyValueOfTheNewFieldsIsValidOrInvalidNeverThrown(@ForAll("failureFields") String fieldsJson) {
        JobDefinition job = define(fieldsJson);
        assertThat(job.valid() ^ job.error() != null).as(fieldsJson).isTrue();
        if (job.valid()) {
            assertThat(job.retry().maxAttempts()).isBetween(1, 100);
            assertThat(job.retry().jitter()).isBetween(0.0, 1.0);
            assertThat(job.retry().maxInterval()).isGreaterThanOrEqualTo(job.retry().initialInterval());
            assertThat(job.after()).noneMatch(u -> u.jobId().equals("job-1"));
        }
    }

    @Provide
    Arbitrary<String> failureFields() {
        Arbitrary<String> anyValue = Arbitraries.oneOf(
                Arbitraries.integers().between(-5, 2000).map(String::valueOf),
                Arbitraries.doubles().between(-10, 20).map(String::valueOf),
                Arbitraries.of("1e400", "-0", "9223372036854775808", "null", "true", "\"\"", "[]", "{}",
                        "\"PT10S\"", "\"-PT1S\"", "\"00:00:00.5\"", "\"P8D\"", "\"PT0S\"", "\"soon\"",
                        "\"https://h.example/x\"", "\"ftp://h\"", "\"http://\"", "\"\\u0000\"", "\"job-1\"",
                        "\"COMPLETED\"", "\"failed\"", "\"any\"", "\"FAILED\"", "\"x\""),
                Arbitraries.strings().ofMaxLength(12).map(FailureFieldsParserTest::quoted));
        Arbitrary<String> retryField = Arbitraries.of("maxAttempts", "initialInterval", "backoffCoefficient",
                "maxInterval", "jitter", "other");
        Arbitrary<String> retry = net.jqwik.api.Combinators.combine(retryField, anyValue)
                .as((f, v) -> "\"" + f + "\": " + v).list().ofMaxSize(6)
                .uniqueElements(f -> f.substring(0, f.indexOf(':')))
                .map(fs -> "{" + String.join(", ", fs) + "}");
        Arbitrary<String> upstream = net.jqwik.api.Combinators.combine(anyValue, anyValue)
                .as((id, on) -> "{\"jobId\": " + id + ", \"on\": " + on + "}");
        Arbitrary<String> after = Arbitraries.oneOf(anyValue, upstream.list().ofMaxSize(25)
                .map(us -> "[" + String.join(", ", us) + "]"));
        Arbitrary<String> notify = net.jqwik.api.Combinators.combine(anyValue.list().ofMaxSize(12), anyValue.list()
                        .ofMaxSize(4), anyValue)
                .as((hooks, on, raw) -> hooks.isEmpty() && on.isEmpty() ? raw
                        : "{\"webhooks\": [" + String.join(", ", hooks) + "], \"on\": [" + String.join(", ", on) + "]}");
        Arbitrary<String> field = Arbitraries.oneOf(
                Arbitraries.oneOf(retry, anyValue).map(v -> "\"retry\": " + v),
                anyValue.map(v -> "\"runTimeout\": " + v),
                anyValue.map(v -> "\"startDeadline\": " + v),
                anyValue.map(v -> "\"pauseOnFailure\": " + v),
                after.map(v -> "\"after\": " + v),
                notify.map(v -> "\"notify\": " + v));
        return field.list().ofMaxSize(6).uniqueElements(f -> f.substring(0, f.indexOf(':')))
                .map(fs -> String.join(", ", fs));
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
