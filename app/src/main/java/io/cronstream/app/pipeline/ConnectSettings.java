package io.cronstream.app.pipeline;

import io.cronstream.app.Settings;
import io.cronstream.app.alerts.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the connector that feeds the jobs topic is watched ({@code cronstream.connect.*}).
 *
 * @param url            the Kafka Connect REST API ({@code cronstream.connect.url}); empty: not watched, nothing restarted
 * @param connector      the connector's name ({@code cronstream.connect.connector})
 * @param pollInterval   how often its state (and the jobs topic's last record) is read
 * @param restartBackoff the wait after restart n: {@code .restart.backoff.initial} × 2^(n-1), capped at
 *                       {@code .restart.backoff.max}; restarts are not limited in number, and the count starts over once
 *                       the connector has run for the longest wait
 */
public record ConnectSettings(Optional<URI> url, String connector, Duration pollInterval, Backoff restartBackoff) {

    public static final String DEFAULT_CONNECTOR = "mongo-scheduled-jobs";

    public static ConnectSettings from(Settings settings) {
        Optional<URI> url = Optional.ofNullable(settings.string("cronstream.connect.url", null)).map(text -> {
            URI uri = URI.create(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("setting cronstream.connect.url = '" + text
                        + "': expected the Connect REST API's http(s) URL, e.g. http://connect:8083");
            }
            return uri;
        });
        Duration poll = settings.duration("cronstream.connect.poll.interval", Duration.ofSeconds(5));
        if (poll.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("setting cronstream.connect.poll.interval = " + poll
                    + ": expected at least PT0.1S");
        }
        return new ConnectSettings(url, settings.string("cronstream.connect.connector", DEFAULT_CONNECTOR), poll,
                new Backoff(100, settings.duration("cronstream.connect.restart.backoff.initial", Duration.ofSeconds(5)),
                        2.0, settings.duration("cronstream.connect.restart.backoff.max", Duration.ofMinutes(5))));
    }
}
