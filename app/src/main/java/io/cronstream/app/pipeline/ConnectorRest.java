package io.cronstream.app.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.api.PipelineStatus;
import io.cronstream.schemas.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One connector through the Kafka Connect REST API: its state, and a restart of what failed. */
final class ConnectorRest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI status;
    private final URI restart;

    ConnectorRest(URI connect, String connector) {
        String base = connect.toString().replaceAll("/+$", "") + "/connectors/"
                + URLEncoder.encode(connector, StandardCharsets.UTF_8).replace("+", "%20");
        this.status = URI.create(base + "/status");
        this.restart = URI.create(base + "/restart?includeTasks=true&onlyFailed=true");
    }

    /**
     * The state that decides whether changes flow ({@link PipelineStatus}): FAILED if the connector or a task
     * failed, else PAUSED, UNASSIGNED (also restarting, or no task yet) or RUNNING; UNKNOWN when Connect does not
     * know the connector or does not answer.
     */
    String state() throws InterruptedException {
        HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(status).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException unreachable) {
            return PipelineStatus.UNKNOWN;
        }
        if (answer.statusCode() != 200) {
            return PipelineStatus.UNKNOWN;
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(answer.body());
        } catch (IOException notJson) {
            return PipelineStatus.UNKNOWN;
        }
        List<String> states = new ArrayList<>();
        states.add(body.path("connector").path("state").asText(""));
        body.path("tasks").forEach(task -> states.add(task.path("state").asText("")));
        return combined(states, body.path("tasks").isEmpty());
    }

    /** Restarts the connector and its tasks that failed; false when Connect refused or did not answer. */
    boolean restartFailed() throws InterruptedException {
        try {
            int status = http.send(HttpRequest.newBuilder(restart).timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            return status >= 200 && status < 300;
        } catch (IOException unreachable) {
            return false;
        }
    }

    /** The worst of the connector's and its tasks' states (Connect's own, KIP-875's STOPPED read as paused). */
    static String combined(List<String> states, boolean noTasks) {
        if (states.contains("FAILED")) {
            return PipelineStatus.FAILED;
        }
        if (states.contains("PAUSED") || states.contains("STOPPED")) {
            return PipelineStatus.PAUSED;
        }
        if (noTasks || states.contains("UNASSIGNED") || states.contains("RESTARTING")) {
            return PipelineStatus.UNASSIGNED;
        }
        return states.stream().allMatch("RUNNING"::equals) ? PipelineStatus.RUNNING : PipelineStatus.UNKNOWN;
    }
}
