package io.cronstream.workers.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cronstream.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerMainTest {

    @Test
    void defaultsAndOptions() {
        WorkerSettings defaults = WorkerMain.parse(new String[0]);
        assertThat(defaults.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(defaults.topics().jobDue()).isEqualTo("cronstream.job-due");
        assertThat(defaults.offsetReset()).isEqualTo("latest");
        assertThat(defaults.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));

        WorkerSettings set = WorkerMain.parse(new String[] {"--bootstrap", "kafka:9093", "--output", "/srv/out",
                "--group", "scanners", "--offset-reset", "earliest", "--heartbeat", "PT1S", "--topic-prefix", "t."});
        assertThat(set).isEqualTo(new WorkerSettings("kafka:9093", Topics.withPrefix("t."),
                Path.of("/srv/out"), "scanners", "earliest", Duration.ofSeconds(1), 256));
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--offset-reset", "middle"})).hasMessageContaining("latest");
        assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--heartbeat", "10"})).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--outptu", "x"})).hasMessageContaining("--outptu");
    }
}
