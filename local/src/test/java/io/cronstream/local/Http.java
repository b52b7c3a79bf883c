package io.cronstream.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A tiny JSON client for the API under test. */
public final class Http {

    /** An answer: status, the body as JSON (null when empty or not JSON), as text, and the headers. */
    public record Answer(int status, JsonNode body, String text, HttpHeaders headers) {

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String readToken;

    public Http(String base) {
        this(base, null);
    }

    /** @param readToken sent with every GET: in production mode every /api/v1 read needs a token */
    public Http(String base, String readToken) {
        this.base = base;
        this.readToken = readToken;
    }

    public Answer get(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (readToken != null) {
            request.header("Authorization", "Bearer " + readToken);
        }
        return send(request);
    }

    public Answer post(String path, String token, String body) {
        return post(path, Map.of("Authorization", "Bearer " + token), body);
    }

    /** POST with exactly these headers (none for Authorization when absent) and a JSON body. */
    public Answer post(String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Answer(response.statusCode(), json(text), text, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Json.mapper().readTree(text);
        } catch (IOException notJson) {
            return null;
        }
    }
}
