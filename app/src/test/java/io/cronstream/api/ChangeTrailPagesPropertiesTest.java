package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.devstack.EmbeddedMongo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.IntRange;
import org.bson.Document;

/**
 * A job's change trail walked page by page gives every entry once, newest first, whatever mix of writes and
 * forced triggers it holds (retried triggers included) and however many share a millisecond.
 */
class ChangeTrailPagesPropertiesTest {

    private static EmbeddedMongo mongo;
    private static MongoJobs jobs;
    /** Moved by the test, so that many entries share a millisecond. */
    private static final MovableClock CLOCK = new MovableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private static ChangeTrail trail;
    private static int tries;

    /** One act on the trail: a write, or a forced trigger of one of a few runs (the same run again is a retry). */
    record Act(boolean forced, int run, long millisLater) {
    }

    @BeforeContainer
    static void start() {
        mongo = EmbeddedMongo.inMemory(0);
        jobs = MongoJobs.connect(new MongoJobs.Config(mongo.connectionString(), "scheduler", "scheduled_jobs",
                Duration.ofDays(30)));
        trail = new ChangeTrail(Optional.of(jobs), CLOCK);
    }

    @AfterContainer
    static void stop() {
        jobs.close();
        mongo.close();
    }

    @Property(tries = 100)
    void pagesGiveEveryEntryOnceNewestFirst(@ForAll("acts") List<Act> acts, @ForAll @IntRange(min = 1, max = 4) int limit) {
        String jobId = "job-" + tries++;
        Access.Principal who = new Access.Principal("ops", Role.OPERATOR);
        List<String> runsForced = new ArrayList<>();
        long version = 0;
        for (Act act : acts) {
            if (act.forced()) {
                String runId = jobId + "@manual-" + act.run();
                trail.forcedTrigger(jobId, version, who, runId, jobId + "@1", "alice");
                if (!runsForced.contains(runId)) {
                    runsForced.add(runId);
                }
            } else {
                version++;
                trail.written(jobId, version, who, "patch", new Document("cron", "a"), new Document("cron", "b"));
            }
            CLOCK.advance(act.millisLater());
        }
        long writes = acts.stream().filter(act -> !act.forced()).count();

        List<Document> whole = trail.page(jobId, new Page(1000, null)).items();
        assertThat(whole).as("every write once, every forced run once").hasSize((int) writes + runsForced.size());
        assertThat(whole).extracting(entry -> entry.getDate("at")).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        List<Document> walked = new ArrayList<>();
        ListBody<Document> page = trail.page(jobId, new Page(limit, null));
        while (true) {
            walked.addAll(page.items());
            if (page.next() == null) {
                break;
            }
            page = trail.page(jobId, Page.of(page.next(), limit));
        }
        assertThat(walked).isEqualTo(whole);
    }

    @Provide
    Arbitrary<List<Act>> acts() {
        // mostly the same millisecond, so entries tie on their time and the id decides
        return Combinators.combine(Arbitraries.of(false, false, true), Arbitraries.integers().between(0, 2),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, Arbitraries.just(0L)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, 5))))
                .as(Act::new).list().ofMinSize(1).ofMaxSize(12);
    }
}
