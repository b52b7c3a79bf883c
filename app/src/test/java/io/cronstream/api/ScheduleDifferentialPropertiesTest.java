package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cronstream.api.CronCases.Case;
import io.cronstream.api.CronOracle.Reading;
import io.cronstream.app.FuzzTries;
import io.cronstream.ticker.FirePlan;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.ParsedJob;
import io.cronstream.ticker.schedule.CronDialect;
import io.cronstream.ticker.schedule.JobSchedule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.PropagationMode;

/**
 * Generated schedules of every dialect against independent oracles (issue 24): the dialect's own library decides
 * which wall-clock times match ({@link CronOracle}), a brute-force walk applies DESIGN §5 ({@link
 * DaylightSavingOracle}). For every case, three answers are the oracle's: the ticker's fire times (a
 * {@link FirePlan} over the job's schedule, as a punctuation chains them), {@code POST /api/v1/schedules/preview}
 * and {@code GET /api/v1/jobs/{jobId}/next} of the job fed to the ticker's topology (with {@code startAt}). An
 * expression the oracle refuses is {@code valid: false} with a message, and one it accepts is never refused (one
 * that never fires again is {@code valid: false}, "never fires"; a job whose series has ended answers no times).
 * {@value FuzzTries#DEFAULT} cases per dialect from a fixed seed; {@code -Dcronstream.fuzz.tries},
 * {@code -Dcronstream.fuzz.seed} as for every generated test (README, Testing).
 */
@AddLifecycleHook(value = FuzzTries.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class ScheduleDifferentialPropertiesTest {

    private static final JobDefinitionParser PARSER = new JobDefinitionParser(JobDefinitionParser.Defaults.standard());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every fire of a plan is on time: the plan is the ticker's chain of fire times, nothing dropped. */
    private static final Duration ALL_ON_TIME = Duration.ofDays(365L * 200);
    /** The ticker registers jobs then: each job's {@code startAt} (its case's start) comes later. */
    private static final Instant REGISTERED = Instant.parse("1970-01-02T00:00:00Z");
    private static final String AUTHORIZATION = "Bearer " + DriverHarness.TOKEN;
    /** A preview counts from the API's "now": each case's start. */
    private static final MovableClock CLOCK = new MovableClock(REGISTERED);
    private static DriverHarness harness;
    private static long jobs;

    @BeforeContainer
    static void start() {
        harness = new DriverHarness(REGISTERED, new ApiSettings("127.0.0.1", 0, "127.0.0.1",
                Optional.of(DriverHarness.TOKEN), ApiSettings.Mode.PRODUCTION, 4096, Duration.ofSeconds(2),
                Duration.ofMinutes(1), List.of(), ApiSettings.DEFAULT_WRITE_WAIT, Optional.empty(), Integer.MAX_VALUE),
                Optional.empty(), CLOCK);
    }

    @AfterContainer
    static void stop() {
        harness.close();
    }

    @Property
    void unix(@ForAll("unixCases") Case generated) {
        check(generated);
    }

    @Property
    void spring(@ForAll("springCases") Case generated) {
        check(generated);
    }

    @Property
    void quartz(@ForAll("quartzCases") Case generated) {
        check(generated);
    }

    @Provide
    Arbitrary<Case> unixCases() {
        return CronCases.of(CronDialect.UNIX);
    }

    @Provide
    Arbitrary<Case> springCases() {
        return CronCases.of(CronDialect.SPRING);
    }

    @Provide
    Arbitrary<Case> quartzCases() {
        return CronCases.of(CronDialect.QUARTZ);
    }

    private void check(Case c) {
        Reading reading = CronOracle.read(c.expression(), c.declared() ? c.dialect() : null);
        // one more than asked: where the series goes on after the compared fires
        List<Instant> expected = reading.accepted()
                ? DaylightSavingOracle.fires(reading, c.zone(), c.start(), c.count() + 1) : List.of();
        Statistics.label("outcome").collect(!reading.accepted() ? "refused" : expected.isEmpty() ? "never fires"
                : crossesTransition(c, expected) ? "fires across a transition" : "fires");
        tickerFires(c, reading, expected);
        previewAnswers(c, reading, expected);
        nextOfTheTickersJob(c, reading);
    }

    /** The job as the ticker reads it at the case's start, and the fires a punctuation chains from its first. */
    private static void tickerFires(Case c, Reading reading, List<Instant> expected) {
        JobDefinition job = define(c, c.start());
        if (!reading.accepted() || expected.isEmpty()) {
            assertThat(job.valid()).as("%s by the oracle: %s", reading.accepted() ? "never fires" : "refused ("
                    + reading.refusal() + ")", c).isFalse();
            assertRefusal(c, reading, job.error());
            return;
        }
        assertThat(job.valid()).as("accepted by the oracle: %s; error %s", c, job.error()).isTrue();
        List<Instant> wanted = expected.subList(0, Math.min(c.count(), expected.size()));
        JobSchedule schedule = job.schedule(c.start());
        Instant first = schedule.firstFire(c.start(), null, 0).orElse(null);
        FirePlan plan = FirePlan.request().schedule(schedule).firstDue(first).now(wanted.get(wanted.size() - 1))
                .misfireThreshold(ALL_ON_TIME).catchupWindow(ALL_ON_TIME).maxFires(c.count()).plan();
        assertThat(plan.fires().stream().map(FirePlan.Fire::scheduledFor).toList()).as(c.toString())
                .isEqualTo(wanted);
        assertThat(plan.next()).as("after the compared fires: %s", c)
                .isEqualTo(expected.size() > c.count() ? expected.get(c.count()) : null);
    }

    /** Why a schedule is {@code valid: false}: a message, "never fires" when the oracle accepts the expression. */
    private static void assertRefusal(Case c, Reading reading, String error) {
        assertThat(error).as(c.toString()).isNotBlank();
        if (reading.accepted()) {
            assertThat(error).as(c.toString()).contains("never fires");
        }
    }

    /** The preview counts from the API's "now", the case's start. */
    private static void previewAnswers(Case c, Reading reading, List<Instant> expected) {
        CLOCK.set(c.start());
        ObjectNode body = schedule(c).put("count", c.count());
        Http.Response response = Http.post(harness.url("/api/v1/schedules/preview"), body.toString(), "Authorization",
                AUTHORIZATION);
        assertThat(response.status()).as(c.toString()).isEqualTo(200);
        JsonNode preview = response.json();
        boolean fires = reading.accepted() && !expected.isEmpty();
        assertThat(preview.get("valid").asBoolean()).as("preview of %s: %s", c, preview).isEqualTo(fires);
        if (!fires) {
            assertRefusal(c, reading, preview.get("error").asText());
            return;
        }
        List<Instant> next = new ArrayList<>();
        preview.get("next").forEach(at -> next.add(Instant.parse(at.asText())));
        assertThat(next).as("preview of %s", c).isEqualTo(expected.subList(0, Math.min(c.count(), expected.size())));
    }

    /** The job in the ticker, from {@code startAt} (the case's start, to the second): its first fires. */
    private static void nextOfTheTickersJob(Case c, Reading reading) {
        String jobId = "job-" + ++jobs;
        Instant startAt = c.start().truncatedTo(ChronoUnit.SECONDS);
        harness.putJob(jobId, schedule(c).put("_id", jobId).put("startAt", startAt.toString()).toString());
        List<Instant> expected = reading.accepted()
                ? DaylightSavingOracle.fires(reading, c.zone(), startAt.minusSeconds(1), c.count()) : List.of();
        Http.Response response = Http.get(harness.url("/api/v1/jobs/" + jobId + "/next?count=" + c.count()),
                "Authorization", AUTHORIZATION);
        assertThat(response.status()).as(c.toString()).isEqualTo(200);
        List<Instant> next = new ArrayList<>();
        response.json().get("next").forEach(at -> next.add(Instant.parse(at.asText())));
        assertThat(next).as("next of the ticker's job %s from %s", c, startAt).isEqualTo(expected);
    }

    private static boolean crossesTransition(Case c, List<Instant> fires) {
        var transition = c.zone().getRules().nextTransition(c.start());
        return transition != null && !transition.getInstant().isAfter(fires.get(fires.size() - 1));
    }

    private static JobDefinition define(Case c, Instant now) {
        byte[] document = schedule(c).put("_id", "generated").toString().getBytes(StandardCharsets.UTF_8);
        return ((ParsedJob.Defined) PARSER.parse(null, document, now)).definition();
    }

    /** The case's schedule fields: its cron, its cronType when declared, its zone. */
    private static ObjectNode schedule(Case c) {
        ObjectNode doc = JSON.createObjectNode().put("cronExpression", c.expression()).put("timeZone", c.zone().getId());
        if (c.declared()) {
            doc.put("cronType", c.dialect().name());
        }
        return doc;
    }
}
