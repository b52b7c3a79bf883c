package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reconciliation repair applies only if the job's last applied record is the one the reconciliation saw: a record
 * the connector delivered in between (a newer definition, a removal) wins, and the repair is dropped.
 */
class RepairGateTest {

    private static final Instant START = Instant.parse("2026-03-02T09:00:00.500Z");

    private final TickerHarness ticker = new TickerHarness(START);

    @AfterEach
    void close() {
        ticker.close();
    }

    @Test
    void aRepairDecidedOnTheCurrentRecordApplies() {
        ticker.putJob("stale", "{\"cronExpression\": \"0 3 * * *\", \"version\": 1}");
        long seen = ticker.source("stale").position();

        ticker.putRepair("stale", "{\"_id\": \"stale\", \"cronExpression\": \"0 4 * * *\", \"version\": 2}", seen,
                ticker.now());

        assertThat(ticker.job("stale").definition().cron()).isEqualTo("0 4 * * *");
        assertThat(ticker.source("stale").position()).isGreaterThan(seen);
    }

    @Test
    void aRepairOfAMissingJobApplies() {
        ticker.putRepair("missing", "{\"_id\": \"missing\", \"cronExpression\": \"0 4 * * *\"}", JobSource.NONE,
                ticker.now());

        assertThat(ticker.job("missing").definition().cron()).isEqualTo("0 4 * * *");
    }

    @Test
    void aNewerDefinitionDeliveredMeanwhileIsNeverOverwritten() {
        ticker.putJob("raced", "{\"cronExpression\": \"0 3 * * *\", \"version\": 1}");
        long seen = ticker.source("raced").position();
        // the connector delivers version 3 after the reconciliation read version 2 from MongoDB
        ticker.putJob("raced", "{\"cronExpression\": \"0 5 * * *\", \"version\": 3}");

        ticker.putRepair("raced", "{\"_id\": \"raced\", \"cronExpression\": \"0 4 * * *\", \"version\": 2}", seen,
                ticker.now());

        assertThat(ticker.job("raced").definition().version()).isEqualTo(3L);
        assertThat(ticker.job("raced").definition().cron()).isEqualTo("0 5 * * *");
    }

    @Test
    void theSameContentDeliveredAgainMeanwhileStillMakesTheRepairStale() {
        ticker.putJob("aba", "{\"cronExpression\": \"0 3 * * *\"}");
        long seen = ticker.source("aba").position();
        // MongoDB went to another state and back; the connector delivers the return, which reads as before
        ticker.putJob("aba", "{\"cronExpression\": \"0 3 * * *\"}");

        ticker.putRepair("aba", "{\"_id\": \"aba\", \"cronExpression\": \"0 4 * * *\"}", seen, ticker.now());

        assertThat(ticker.job("aba").definition().cron()).isEqualTo("0 3 * * *");
    }

    @Test
    void aRemovalDeliveredMeanwhileIsNeverUndone() {
        // The reconciliation saw the job missing and MongoDB holding it; then it was deleted and the connector's
        // tombstone came before the repair.
        ticker.deleteJob("deleted");

        ticker.putRepair("deleted", "{\"_id\": \"deleted\", \"cronExpression\": \"0 4 * * *\"}", JobSource.NONE,
                ticker.now());

        assertThat(ticker.job("deleted")).isNull();
        assertThat(ticker.source("deleted").removed()).isTrue();
    }

    @Test
    void aTombstoneRepairRemovesAJobGoneFromMongoDb() {
        ticker.putJob("orphan", "{\"cronExpression\": \"0 3 * * *\"}");

        ticker.putRepair("orphan", null, ticker.source("orphan").position(), ticker.now());

        assertThat(ticker.job("orphan")).isNull();
    }

    @Test
    void aRepairReadLongAgoIsDropped() {
        ticker.putRepair("late", "{\"_id\": \"late\", \"cronExpression\": \"0 4 * * *\"}", JobSource.NONE,
                ticker.now().minus(JobRepair.MAX_AGE).minusSeconds(1));

        assertThat(ticker.job("late")).isNull();
    }

    @Test
    void removalsAreForgottenAfterTheirRetention() {
        ticker.putJob("gone", "{\"cronExpression\": \"0 3 * * *\"}");
        ticker.deleteJob("gone");
        assertThat(ticker.source("gone")).isNotNull();

        ticker.jump(JobSources.REMOVED_RETENTION.plus(Duration.ofSeconds(1)));

        assertThat(ticker.source("gone")).isNull();
        assertThat(ticker.driver.getKeyValueStore(TickerTopology.SOURCES_REMOVED_STORE).approximateNumEntries())
                .isZero();
    }
}
