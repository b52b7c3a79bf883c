package io.cronstream.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code docker/connect/register-connector.sh}, the compose one-shot that registers the connector,
 * run with the machine's {@code sh} and {@code curl} against a stand-in for the Connect REST API.
 * Skipped where either is missing.
 */
class RegisterConnectorScriptTest {

    private static final Path ROOT = ComposeFile.repositoryRoot();
    private static final Path SCRIPT = ROOT.resolve("docker/connect/register-connector.sh");
    private static final Path CONNECTOR_FILE = ROOT.resolve("connectors/mongo-scheduled-jobs.json");
    private static final String NAME = "mongo-scheduled-jobs";
    private static final String PLUGINS = "[{\"class\":\"com.mongodb.kafka.connect.MongoSourceConnector\",\"type\":\"source\",\"version\":\"2.0.1\"}]";
    private static final String RUNNING = "{\"name\":\"" + NAME + "\",\"connector\":{\"state\":\"RUNNING\",\"worker_id\":\"connect:8083\"},"
            + "\"tasks\":[{\"id\":0,\"state\":\"RUNNING\",\"worker_id\":\"connect:8083\"}],\"type\":\"source\"}";
    private static final String TASK_FAILED = "{\"name\":\"" + NAME + "\",\"connector\":{\"state\":\"RUNNING\",\"worker_id\":\"connect:8083\"},"
            + "\"tasks\":[{\"id\":0,\"state\":\"FAILED\",\"worker_id\":\"connect:8083\",\"trace\":\"MongoTimeoutException\"}],\"type\":\"source\"}";

    private final List<String> requests = new ArrayList<>();
    private final AtomicBoolean exists = new AtomicBoolean();
    private volatile byte[] posted;
    private volatile String postedContentType;
    private volatile String plugins = PLUGINS;
    private volatile String status = RUNNING;
    private HttpServer server;

    @BeforeAll
    static void needsShellAndCurl() {
        assumeTrue(onPath("sh") && onPath("curl"), "sh and curl are needed to run the script");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void postsTheCommittedFileAsItIsWhenTheConnectorIsNewAndWaitsUntilItRuns() throws Exception {
        Result result = run(Map.of());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(posted).isEqualTo(Files.readAllBytes(CONNECTOR_FILE));
        assertThat(postedContentType).isEqualTo("application/json");
        assertThat(requests).containsSubsequence("GET /connector-plugins", "GET /connectors/" + NAME, "POST /connectors",
                "GET /connectors/" + NAME + "/status");
        assertThat(result.output()).contains("created " + NAME, NAME + " is running");
    }

    @Test
    void leavesAnExistingConnectorAlone() throws Exception {
        exists.set(true);
        Result result = run(Map.of());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(requests).doesNotContain("POST /connectors", "DELETE /connectors/" + NAME);
        assertThat(result.output()).contains("registered already");
    }

    @Test
    void recreatesAnExistingConnectorFromTheFileWhenAsked() throws Exception {
        exists.set(true);
        Result result = run(Map.of("CONNECTOR_RECREATE", "true"));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(requests).containsSubsequence("DELETE /connectors/" + NAME, "POST /connectors");
        assertThat(posted).isEqualTo(Files.readAllBytes(CONNECTOR_FILE));
    }

    @Test
    void failsWithTheTaskTraceWhenTheConnectorFails() throws Exception {
        status = TASK_FAILED;
        Result result = run(Map.of());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains(NAME + " failed", "MongoTimeoutException");
    }

    @Test
    void failsWithAHintWhenTheWorkerDoesNotHaveThePlugin() throws Exception {
        plugins = "[]";
        Result result = run(Map.of());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("mvn -DskipTests package");
        assertThat(requests).doesNotContain("POST /connectors");
    }

    private record Result(int exitCode, String output) { }

    private Result run(Map<String, String> extraEnv) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().put("CONNECT_URL", "http://127.0.0.1:" + server.getAddress().getPort());
        builder.environment().put("CONNECTOR_FILE", CONNECTOR_FILE.toString());
        builder.environment().put("CONNECTOR_NAME", NAME);
        builder.environment().put("RETRY_INTERVAL", "0");
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        synchronized (requests) {
            requests.add(method + " " + path);
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        int code;
        String answer;
        if (method.equals("GET") && path.equals("/connector-plugins")) {
            code = 200;
            answer = plugins;
        } else if (method.equals("GET") && path.equals("/connectors/" + NAME)) {
            code = exists.get() ? 200 : 404;
            answer = exists.get() ? "{\"name\":\"" + NAME + "\"}" : "{\"error_code\":404,\"message\":\"Connector " + NAME + " not found\"}";
        } else if (method.equals("POST") && path.equals("/connectors")) {
            posted = body;
            postedContentType = exchange.getRequestHeaders().getFirst("Content-Type");
            code = exists.getAndSet(true) ? 409 : 201;
            answer = code == 201 ? "{\"name\":\"" + NAME + "\"}" : "{\"error_code\":409,\"message\":\"Connector " + NAME + " already exists\"}";
        } else if (method.equals("DELETE") && path.equals("/connectors/" + NAME)) {
            exists.set(false);
            code = 204;
            answer = null;
        } else if (method.equals("GET") && path.equals("/connectors/" + NAME + "/status")) {
            code = 200;
            answer = status;
        } else {
            code = 404;
            answer = "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}";
        }
        if (answer == null) {
            exchange.sendResponseHeaders(code, -1);
        } else {
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
