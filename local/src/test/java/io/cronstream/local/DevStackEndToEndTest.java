package io.cronstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.app.Settings;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The end-to-end contract on the embedded local stack that {@code ./cronstream dev} runs, plus its demo. */
class DevStackEndToEndTest extends EndToEndContract {

    private DevStack stack;

    @Override
    Target start() throws Exception {
        stack = DevStack.start(Files.createTempDirectory("cronstream-e2e"), DevStack.Ports.ANY_FREE, true,
                Settings.of(QUICK));
        return new Target(stack.infrastructure().mongo().connectionString(),
                stack.infrastructure().kafka().bootstrapServers(), stack.apiUrl(), stack.app().topics());
    }

    @Override
    void stop() {
        stack.close();
    }

    @Test
    void theDemoScansItsImageLibraryWithTheRealWatcherAndWorker() throws Exception {
        try (Demo demo = Demo.start(stack, Files.createTempDirectory("cronstream-demo"))) {
            await().atMost(PATIENCE).until(() -> api.get("/api/v1/jobs/demo-library-scan").status() == 200);
            Http.Answer accepted = api.post("/api/v1/jobs/demo-library-scan/trigger", "dev-token", "{}");
            assertThat(accepted.status()).isEqualTo(202);
            String runId = accepted.body().get("runId").asText();

            JsonNode run = await().atMost(Duration.ofMinutes(2)).until(() -> api.get("/api/v1/runs/" + runId).body(),
                    r -> r.path("status").asText().equals("COMPLETED"));
            for (String stage : List.of("scan", "thumbnail", "cache")) {
                assertThat(run.path("stages").path(stage).path("completed").asInt()).as(stage).isEqualTo(240);
            }
            // the scan saw 240 new images and reported them processed: the pending set drains to nothing
            JsonNode library = await().atMost(PATIENCE).until(() -> api.get("/api/v1/libraries/photos"),
                    a -> a.status() == 200 && a.body().get("changeCount").asInt() >= 240
                            && a.body().get("added").asInt() == 0).body();
            assertThat(library.get("deleted").asInt()).isZero();
            assertThat(library.get("modified").asInt()).isZero();
            assertThat(library.get("pending")).isEmpty();
            assertThat(api.get("/api/v1/jobs/demo-broken").body().get("valid").asBoolean()).isFalse();
        }
    }

}
