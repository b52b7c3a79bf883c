package io.cronstream.app.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cronstream.schemas.Alert;
import io.cronstream.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs an alert as JSON to one webhook: the alert's fields plus {@code text}, the line Slack (and most chat
 * webhooks) show. A request has a timeout of its own, connection included; a timeout, a connection failure, a 5xx,
 * 408 or 429 is retried with backoff, any other answer but 2xx is final (retrying would not change it).
 */
public final class Webhooks {

    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    private static final ObjectMapper JSON = Json.create();

    /** What reaches the webhook. */
    public record Body(String kind, String jobId, String runId, Integer attempt, Instant at, String message,
            String text) {
        static Body of(Alert alert) {
            return new Body(alert.kind().name(), alert.jobId(), alert.runId(), alert.attempt(), alert.at(),
                    alert.message(), alert.text());
        }
    }

    private final HttpClient client;
    private final Duration timeout;
    private final Backoff backoff;

    public Webhooks(Duration timeout, Backoff backoff) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.backoff = backoff;
    }

    /**
     * Delivers {@code alert} to {@code url}, retrying; empty when delivered, else why not (for the dead letter).
     *
     * @throws InterruptedException the service is closing: the alert is neither delivered nor given up
     */
    public Optional<String> deliver(URI url, Alert alert) throws InterruptedException {
        byte[] body = body(alert);
        String why = null;
        for (int attempt = 1; attempt <= backoff.attempts(); attempt++) {
            if (attempt > 1) {
                backoff.sleepAfter(attempt - 1);
            }
            Failure failure = post(url, body);
            if (failure == null) {
                log.info("event=webhook-delivered jobId={} kind={} url={} attempt={}", alert.jobId(), alert.kind(),
                        redact(url.toString()), attempt);
                return Optional.empty();
            }
            why = failure.reason();
            log.warn("event=webhook-failed jobId={} kind={} url={} attempt={} reason={}", alert.jobId(), alert.kind(),
                    redact(url.toString()), attempt, why);
            if (!failure.retryable()) {
                return Optional.of("webhook " + redact(url.toString()) + " refused the alert: " + why);
            }
        }
        return Optional.of("webhook " + redact(url.toString()) + " not delivered after " + backoff.attempts()
                + " attempts: " + why);
    }

    private record Failure(String reason, boolean retryable) {
    }

    private Failure post(URI url, byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json").header("User-Agent", "cronstream-notifier")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                return null;
            }
            return new Failure("HTTP " + status, status / 100 == 5 || status == 408 || status == 429);
        } catch (HttpTimeoutException e) {
            return new Failure("no answer within " + timeout, true);
        } catch (IOException e) {
            return new Failure(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), true);
        }
    }

    static byte[] body(Alert alert) {
        try {
            return JSON.writeValueAsBytes(Body.of(alert));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A webhook URL for logs and dead letters: scheme, host and port only. Chat webhooks carry their secret in the
     * path (Slack's {@code /services/T…/B…/secret}), and the DLQ and the logs are read by more people than the
     * settings.
     */
    public static String redact(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "(not a URL)";
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/") ? ""
                    : "/…";
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
        } catch (IllegalArgumentException e) {
            return "(not a URL)";
        }
    }
}
