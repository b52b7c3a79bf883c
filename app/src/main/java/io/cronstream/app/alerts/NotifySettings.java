package io.cronstream.app.alerts;

import io.cronstream.app.Settings;
import io.cronstream.schemas.AlertKind;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The notifier's settings ({@code cronstream.notify.*}).
 *
 * @param enabled        whether the notifier runs: {@code cronstream.notify.enabled}, by default whether global
 *                       webhooks are set (jobs' own {@code notify.webhooks} need it on too)
 * @param webhooks       {@code cronstream.notify.webhooks}: where alerts of jobs without webhooks of their own go
 * @param on             {@code cronstream.notify.on}: the kinds sent to the global webhooks (empty: every kind)
 * @param requestTimeout {@code cronstream.notify.timeout}: one request, connection included (PT5S)
 * @param backoff        {@code cronstream.notify.attempts} (5), {@code .backoff.initial} (PT1S),
 *                       {@code .backoff.coefficient} (2.0), {@code .backoff.max} (PT1M)
 */
public record NotifySettings(boolean enabled, List<URI> webhooks, List<AlertKind> on, Duration requestTimeout,
        Backoff backoff) {

    public NotifySettings {
        webhooks = List.copyOf(webhooks);
        on = List.copyOf(on);
        webhooks.forEach(NotifySettings::requireHttp);
        if (requestTimeout == null || requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("setting cronstream.notify.timeout must be a positive duration");
        }
    }

    public static NotifySettings from(Settings settings) {
        String urls = settings.string("cronstream.notify.webhooks", "");
        List<URI> webhooks = Arrays.stream(urls.split(",")).map(String::trim).filter(url -> !url.isEmpty())
                .map(url -> parse(url)).toList();
        List<AlertKind> on = Arrays.stream(settings.string("cronstream.notify.on", "").split(","))
                .map(String::trim).filter(kind -> !kind.isEmpty()).map(NotifySettings::kind).toList();
        return new NotifySettings(settings.bool("cronstream.notify.enabled", !webhooks.isEmpty()), webhooks, on,
                settings.duration("cronstream.notify.timeout", Duration.ofSeconds(5)),
                new Backoff(settings.integer("cronstream.notify.attempts", 5),
                        settings.duration("cronstream.notify.backoff.initial", Duration.ofSeconds(1)),
                        Double.parseDouble(settings.string("cronstream.notify.backoff.coefficient", "2.0")),
                        settings.duration("cronstream.notify.backoff.max", Duration.ofMinutes(1))));
    }

    /** Whether an alert of this kind goes to the global webhooks. */
    public boolean wants(AlertKind kind) {
        return on.isEmpty() || on.contains(kind);
    }

    private static URI parse(String url) {
        try {
            return requireHttp(URI.create(url));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting cronstream.notify.webhooks: '" + Webhooks.redact(url)
                    + "' is not an http(s) URL");
        }
    }

    private static URI requireHttp(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("setting cronstream.notify.webhooks: '" + Webhooks.redact(uri.toString())
                    + "' is not an http(s) URL");
        }
        return uri;
    }

    private static AlertKind kind(String text) {
        try {
            return AlertKind.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting cronstream.notify.on: '" + text + "' is not one of "
                    + Arrays.toString(AlertKind.values()));
        }
    }
}
