package io.cronstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark code runs at its tiny size and fills every row. Nothing here is timed: the numbers
 * only have to exist and be positive.
 */
class BenchQuickTest {

    @TempDir
    Path dir;

    @Test
    void theQuickRunFillsEveryRowWithPositiveNumbers() throws Exception {
        Path out = dir.resolve("RESULTS.md");
        Report report = BenchMain.run(Options.parse("--quick", "--out", out.toString()), "test");

        List<Row> rows = report.rows();
        assertThat(rows).extracting(Row::benchmark).containsOnly(TickerBench.NAME, ReloadBench.NAME,
                ProgressBench.NAME, StuckScanBench.NAME, ApiBench.NAME, ReadScaleBench.NAME);
        assertThat(rows).filteredOn(row -> row.benchmark().equals(TickerBench.NAME)).extracting(Row::figure)
                .containsExactly("load time, 600 jobs", "memory, 600 jobs", "punctuation cost, 600 jobs, 2 due/s",
                        "fires/s sustained, 600 jobs", "restore, fresh instance without standby, 600 jobs",
                        "lateness received p50, 600 jobs", "lateness received p99, 600 jobs",
                        "lateness received max, 600 jobs");
        assertThat(rows).filteredOn(row -> row.benchmark().equals(ReloadBench.NAME)).hasSize(2);
        // exactly-once and at-least-once, each against the raw consumer and the parsing HashMap fold
        assertThat(rows).filteredOn(row -> row.benchmark().equals(ProgressBench.NAME)).hasSize(4);
        assertThat(rows).filteredOn(row -> row.benchmark().equals(StuckScanBench.NAME)).hasSize(4);
        assertThat(rows).filteredOn(row -> row.benchmark().equals(ApiBench.NAME)).hasSize(3);
        assertThat(rows).filteredOn(row -> row.benchmark().equals(ReadScaleBench.NAME)).hasSize(4);
        assertThat(rows).allSatisfy(row -> {
            // A lateness can truly be 0 ms (a punctuation that starts on the second): the rest must be above 0.
            if (row.figure().startsWith("lateness")) {
                assertThat(row.value()).as(row.figure()).isNotNegative();
            } else {
                assertThat(row.value()).as(row.figure()).isPositive();
            }
            if (row.baseline() != null) {
                assertThat(row.baselineValue()).as(row.figure() + " baseline").isPositive();
            }
        });
        assertThat(Files.readString(out)).contains("## Machine", "## Results", "## Notes", "| load 1m |");
    }
}
