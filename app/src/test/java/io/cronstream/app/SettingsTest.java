package io.cronstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void environmentOverridesTheFileAndKafkaSettingsPassThrough(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cronstream.properties");
        Files.writeString(file, """
                cronstream.application.id = from-file
                cronstream.ticker.punctuate.interval = PT2S
                cronstream.kafka.num.standby.replicas = 1
                """);
        Settings settings = Settings.load(file, Map.of(
                "CRONSTREAM_APPLICATION_ID", "from-env",
                "CRONSTREAM_TOPIC_PREFIX", "acme.",
                "PATH", "/usr/bin"));
        CronstreamApp app = new CronstreamApp(settings);

        assertThat(app.streamsProperties())
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "from-env")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry("num.standby.replicas", "1");
        assertThat(app.ticker().punctuateEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThat(app.topics().jobs()).isEqualTo("acme.jobs");
        assertThat(app.topics().dlq()).isEqualTo("acme.dlq");
    }

    @Test
    void badValuesNameTheSettingAndWhatWasExpected() {
        Settings settings = Settings.of(Map.of("cronstream.ticker.punctuate.interval", "1s"));
        assertThatThrownBy(() -> new CronstreamApp(settings))
                .hasMessage("setting cronstream.ticker.punctuate.interval = '1s': expected an ISO-8601 duration like PT1S or PT5M");
        assertThatThrownBy(() -> new CronstreamApp(Settings.of(Map.of("cronstream.ticker.punctuate.interval", "PT0.01S"))))
                .hasMessageContaining("at least 100 ms");
        assertThatThrownBy(() -> new CronstreamApp(Settings.of(Map.of("cronstream.ticker.punctuation.time.budget", "PT6S"))))
                .hasMessageContaining("at most a third of the transaction timeout (10000 ms)");
        assertThatThrownBy(() -> new CronstreamApp(Settings.of(Map.of("cronstream.ticker.punctuation.time.budget", "PT2S",
                "cronstream.kafka.transaction.timeout.ms", "3000")))).hasMessageContaining("(3000 ms)");
        assertThat(new CronstreamApp(Settings.of(Map.of("cronstream.ticker.punctuation.time.budget", "PT10S",
                "cronstream.kafka.producer.transaction.timeout.ms", "60000"))).progress().scanTimeBudget())
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(new CronstreamApp(Settings.of(Map.of("cronstream.ticker.punctuation.time.budget", "PT10S",
                "cronstream.kafka.producer.transaction.timeout.ms", "60000"))).ticker().punctuationTimeBudget())
                .isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> new CronstreamApp(Settings.of(Map.of("cronstream.progress.history.size", "5000"))))
                .hasMessageContaining("historySize (at most 250)");
    }

    @Test
    void finishedRunsAreKeptSevenDaysUnlessTheEnvironmentSaysOtherwise() {
        assertThat(new CronstreamApp(Settings.of(Map.of())).progress().runRetention()).isEqualTo(Duration.ofDays(7));
        Settings short10s = Settings.load(null, Map.of("CRONSTREAM_PROGRESS_RUN_RETENTION", "PT10S"));
        assertThat(new CronstreamApp(short10s).progress().runRetention()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theComposedTopologyHoldsTheTickerStores() {
        String description = new CronstreamApp(Settings.of(Map.of())).topology().describe().toString();
        assertThat(description).contains("ticker-jobs", "ticker-schedule", "cronstream.jobs", "cronstream.job-due",
                "cronstream.dlq", "progress-runs", "progress-run-activity", "progress-run-expiry", "progress-job-history", "progress-job-expiry", "progress-job-removals", "progress-libraries",
                "cronstream.stage-progress", "cronstream.file-changes", "cronstream.run-status", "cronstream.stuck-runs");
    }
}
