package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.devstack.EmbeddedMongo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Thousands of hostile requests (odd paths, ids with unicode, {@code ../}, 10 KB strings, random
 * query values, bodies and headers): never a 5xx, never a stack trace or class name in a body.
 * Seeded, so a failure repeats.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuzzTest {

    private static final List<String> PREFIXES = List.of("/api/v1/jobs/", "/api/v1/runs/", "/api/v1/libraries/",
            "/api/v1/jobs/", "/api/v1/", "/", "/dashboard/", "/api/v1/stuck/", "/health/", "/metrics/");
    private static final List<String> SUFFIXES = List.of("", "/next", "/runs", "/trigger", "/", "/../../etc/passwd",
            "/next/extra", "?", "#frag");
    private static final List<String> QUERY_KEYS = List.of("count", "status", "stuck", "limit", "jobId", "x", "", "count[]");
    private static final List<String> NASTY = List.of("..", "../", "..%2F..%2F", "%2e%2e", "%00", "%", "%zz", "%C0%AF",
            "%F0%9F%92%A9", "caf\u00e9", "\u65e5\u672c", "\uD83D\uDE00", "a b", "<script>", "\"'", "\\", "{jobId}", "*",
            "NaN", "-1", "1e309", "99999999999999999999", "null", "true", "%2F", ";", "@", Seeds.HOURLY, Seeds.BROKEN,
            Seeds.RUNNING_RUN, Seeds.LIBRARY, "\u202e", "\uFEFF");
    private static final List<String> BODIES = List.of("", "{}", "null", "[]", "{\"triggeredBy\":\"x\"}",
            "{\"triggeredBy\":null}", "{\"triggeredBy\":[1]}", "{\"triggeredBy\":\"\u0000\"}", "{", "\"str\"", "1",
            "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}", "\u00ff\u00fe", "{\"triggeredBy\":\"" + "é".repeat(300) + "\"}");

    private final Random random = new Random(20261122);
    private DriverHarness harness;
    private EmbeddedMongo mongo;

    @BeforeAll
    void start() {
        // With a MongoDB, so the write routes are fuzzed too (without one they answer 503 by design).
        mongo = EmbeddedMongo.inMemory(0);
        harness = new DriverHarness(DriverHarness.START, new ApiSettings("127.0.0.1", 0, "127.0.0.1",
                Optional.of(DriverHarness.TOKEN), ApiSettings.Mode.PRODUCTION, 4096, Duration.ofSeconds(2),
                Duration.ofMinutes(1)), Optional.of(mongo.connectionString()));
        Seeds.into(harness);
    }

    @AfterAll
    void stop() {
        harness.close();
        mongo.close();
    }

    @Test
    void encodedRandomRequestsNeverFailOnTheServer() {
        // A request that breaks a kept-alive connection shows on the next one: name both.
        String previous = "none";
        for (int i = 0; i < 2_500; i++) {
            String path = randomPath();
            HttpRequest.Builder request;
            try {
                request = HttpRequest.newBuilder(URI.create(harness.url(path)));
            } catch (IllegalArgumentException notAUri) {
                continue; // the raw-socket test covers what java.net.URI refuses
            }
            String body = pick(BODIES);
            switch (random.nextInt(5)) {
                case 0, 1, 2 -> request.GET();
                case 3 -> request.POST(HttpRequest.BodyPublishers.ofString(body));
                default -> request.method(pick(List.of("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")),
                        HttpRequest.BodyPublishers.ofString(body));
            }
            if (random.nextBoolean()) {
                request.header("Authorization", pick(List.of("Bearer " + DriverHarness.TOKEN, "Bearer ", "Bearer x",
                        "bearer " + DriverHarness.TOKEN, "Basic abc", "Bearer " + "t".repeat(2000))));
            }
            if (random.nextBoolean()) {
                request.header("Content-Type", pick(List.of("application/json", "text/plain", "multipart/form-data",
                        "application/x-www-form-urlencoded")));
            }
            Http.Response response;
            try {
                response = Http.send(request);
            } catch (UncheckedIOException e) {
                throw new AssertionError("no answer to " + shorten(path) + " after " + previous, e);
            }
            check(path, response.status(), response.body());
            previous = request.build().method() + " " + shorten(path) + " → " + response.status();
        }
    }

    @Test
    void rawRequestsNeverFailOnTheServer() {
        for (int i = 0; i < 600; i++) {
            String target = switch (random.nextInt(4)) {
                case 0 -> pick(PREFIXES) + pick(NASTY) + pick(SUFFIXES);
                case 1 -> "/api/v1/jobs/" + randomText(random.nextInt(40)) + "/next?count=" + randomText(5);
                case 2 -> pick(PREFIXES) + "x".repeat(random.nextInt(12_000));
                default -> pick(List.of("*", "http://other/api/v1/jobs", "api/v1/jobs", "//api//v1//jobs",
                        "/api/v1/jobs/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/api/v1/jobs/\u0001"));
            };
            String method = pick(List.of("GET", "GET", "POST", "HEAD", "BREW", "GET"));
            String body = method.equals("POST") ? pick(BODIES) : "";
            String[] answer = raw(method + " " + target + " HTTP/1.1", body);
            check(target, Integer.parseInt(answer[0]), answer[1]);
        }
    }

    private static String shorten(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private void check(String what, int status, String body) {
        String shown = shorten(what);
        assertThat(status).as(shown + " → " + body).isLessThan(500);
        assertThat(body).as(shown)
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("at io.")
                .doesNotContain("java.")
                .doesNotContain("org.eclipse")
                .doesNotContain("Caused by");
    }

    private String randomPath() {
        StringBuilder path = new StringBuilder(pick(PREFIXES));
        int segments = random.nextInt(3);
        for (int i = 0; i <= segments; i++) {
            path.append(switch (random.nextInt(4)) {
                case 0 -> pick(NASTY);
                case 1 -> encode(randomText(random.nextInt(30)));
                case 2 -> random.nextInt(8) == 0 ? "y".repeat(10_240) : encode(pick(NASTY));
                default -> encode(pick(List.of(Seeds.HOURLY, Seeds.MANUAL, Seeds.UNICODE, Seeds.STUCK_RUN, "zz")));
            });
        }
        path.append(pick(SUFFIXES));
        if (random.nextBoolean()) {
            path.append(path.indexOf("?") >= 0 ? "&" : "?");
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                path.append(pick(QUERY_KEYS)).append('=').append(encode(pick(NASTY) + randomText(random.nextInt(6))))
                        .append('&');
            }
        }
        return path.toString();
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            int codePoint = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5f);
                case 1 -> random.nextInt(0x20);
                case 2 -> 0xa0 + random.nextInt(0x3000);
                default -> 0x1f300 + random.nextInt(0x300);
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    /** One request written byte for byte, for what {@link URI} would refuse to send; returns status and body. */
    private String[] raw(String requestLine, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", harness.api.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: localhost\r\nConnection: close\r\nContent-Length: " + content.length
                    + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.flush();
            String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            String status = response.split(" ", 3)[1];
            int bodyStart = response.indexOf("\r\n\r\n");
            return new String[] {status, bodyStart < 0 ? "" : response.substring(bodyStart + 4)};
        } catch (IOException e) {
            throw new UncheckedIOException(requestLine, e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toByteArray();
    }
}
