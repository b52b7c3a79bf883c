package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The name index behind {@code /api/v1/jobs} ({@code ticker-jobs-by-name}) holds exactly one entry per stored
 * job at its name, in the order the API lists them, after any mix of creates, renames, deletes and fires; and a
 * store kept from before the index is indexed once.
 */
class JobNamesPropertiesTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");
    private static TickerHarness ticker;

    /** One change to one of a few jobs, then the clock moves (fires rewrite the job, not its name). */
    record Change(int job, String name, boolean delete, boolean invalid, long secondsLater) {
    }

    @BeforeContainer
    static void start() {
        ticker = new TickerHarness(START);
    }

    @AfterContainer
    static void stop() {
        ticker.close();
    }

    @Property(tries = 100)
    void theIndexHoldsEachStoredJobOnceAtItsName(@ForAll("changes") List<Change> changes) {
        for (Change change : changes) {
            String id = "job-" + change.job();
            if (change.delete()) {
                ticker.deleteJob(id);
            } else {
                String name = change.name() == null ? "" : "\"name\": \"" + change.name() + "\", ";
                ticker.putJob(id, "{" + name + "\"cron\": \"" + (change.invalid() ? "nope" : "* * * * * *") + "\"}");
            }
            ticker.jump(Duration.ofSeconds(change.secondsLater()));
            assertThat(index(ticker)).isEqualTo(expected(ticker));
        }
    }

    @Test
    void aStoreFromBeforeTheIndexIsIndexedOnceWhenItsTaskStarts() {
        try (TickerHarness before = new TickerHarness(START)) {
            before.putJob("b", "{\"name\": \"Beta\", \"cron\": \"0 * * * *\"}");
            before.putJob("a", "{\"name\": \"alpha\", \"cron\": \"0 * * * *\"}");
            KeyValueStore<Bytes, byte[]> names = before.driver.getKeyValueStore(TickerTopology.NAMES_STORE);
            try (KeyValueIterator<Bytes, byte[]> all = names.all()) {
                all.forEachRemaining(entry -> names.delete(entry.key)); // as a store written before the index was
            }

            JobNames index = new JobNames(names);
            index.indexOnce(before.driver.getKeyValueStore(TickerTopology.JOBS_STORE));
            assertThat(index(before)).containsExactly(JobNames.key("alpha", "a"), JobNames.key("Beta", "b"));

            names.delete(JobNames.key("alpha", "a"));
            index.indexOnce(before.driver.getKeyValueStore(TickerTopology.JOBS_STORE));
            assertThat(index(before)).as("once only").containsExactly(JobNames.key("Beta", "b"));
        }
    }

    private static List<Bytes> index(TickerHarness harness) {
        List<Bytes> keys = new ArrayList<>();
        KeyValueStore<Bytes, byte[]> names = harness.driver.getKeyValueStore(TickerTopology.NAMES_STORE);
        try (KeyValueIterator<Bytes, byte[]> all = names.all()) {
            all.forEachRemaining(entry -> {
                if (JobNames.isJob(entry.key)) {
                    keys.add(entry.key);
                }
            });
        }
        return keys;
    }

    /** Every stored job's key, sorted as the API sorts them. */
    private static List<Bytes> expected(TickerHarness harness) {
        List<Bytes> keys = new ArrayList<>();
        KeyValueStore<String, JobState> jobs = harness.driver.getKeyValueStore(TickerTopology.JOBS_STORE);
        try (KeyValueIterator<String, JobState> all = jobs.all()) {
            all.forEachRemaining(job -> keys.add(JobNames.key(job.value.definition().name(), job.key)));
        }
        keys.sort(JobNames::compare);
        return keys;
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(4, Arbitraries.of("Nightly", "nightly", "Été", "Zeta", "a", "日本", "")));
        return Combinators.combine(Arbitraries.integers().between(0, 5), name, Arbitraries.of(false, false, false, true),
                        Arbitraries.of(false, false, true), Arbitraries.longs().between(0, 3))
                .as(Change::new).list().ofMinSize(1).ofMaxSize(20);
    }
}
