package io.cronstream.topology;

import static io.cronstream.topology.Events.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.Command;
import io.cronstream.schemas.CommandType;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.ProgressKind;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RUN_FINISHED goes to the ticker only for the runs it follows: those of overlap-SKIP jobs and those whose due
 * event asked for it ({@code followUp}; see FailureHandlingTest). A run of any other job ends without a command,
 * so the public commands topic does not carry one per run of every job.
 */
class RunFinishedTest {

    private final ProgressDriver driver = new ProgressDriver(ProgressConfig.defaults());

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void onlyARunOfAnOverlapSkipJobTellsTheTickerItEnded() {
        Instant t = driver.now();
        DueEvent skip = Events.due("nightly", t, "SKIP");
        DueEvent allow = Events.due("hourly", t, "ALLOW");
        DueEvent unknown = Events.due("adhoc", t, (String) null);
        for (DueEvent due : new DueEvent[] {skip, allow, unknown}) {
            driver.due(due);
            driver.progress(run(due.runId(), ProgressKind.RUN_COMPLETED, null, t));
        }

        assertThat(driver.commands()).extracting(Command::jobId, Command::type, Command::runId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("nightly", CommandType.RUN_FINISHED, skip.runId()));
        assertThat(driver.run(skip.runId()).holdsItsJob()).isTrue();
        assertThat(driver.run(allow.runId()).holdsItsJob()).isFalse();
    }
}
