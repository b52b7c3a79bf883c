package io.cronstream.app.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cronstream.app.Settings;
import io.cronstream.schemas.AlertKind;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code cronstream.notify.*}: off unless configured, bad values refused at start without showing secrets. */
class NotifySettingsTest {

    @Test
    void offUnlessConfigured() {
        NotifySettings none = NotifySettings.from(Settings.of(Map.of()));
        assertThat(none.enabled()).isFalse();
        assertThat(none.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(none.backoff()).isEqualTo(new Backoff(5, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1)));
        assertThat(NotifySettings.from(Settings.of(Map.of("cronstream.notify.enabled", "true"))).enabled()).isTrue();
    }

    @Test
    void readsWebhooksAndKinds() {
        NotifySettings settings = NotifySettings.from(Settings.of(Map.of(
                "cronstream.notify.webhooks", "https://hooks.example.com/a, http://10.0.0.1:8080/b",
                "cronstream.notify.on", "failed,PAUSED")));
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.webhooks()).containsExactly(URI.create("https://hooks.example.com/a"),
                URI.create("http://10.0.0.1:8080/b"));
        assertThat(settings.wants(AlertKind.FAILED)).isTrue();
        assertThat(settings.wants(AlertKind.STUCK)).isFalse();
    }

    @Test
    void refusesWhatIsNotAWebhookOrAKindWithoutShowingTheSecret() {
        assertThatThrownBy(() -> NotifySettings.from(Settings.of(Map.of("cronstream.notify.webhooks",
                "ftp://hooks.example.com/services/secret"))))
                .hasMessageContaining("not an http(s) URL").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> NotifySettings.from(Settings.of(Map.of("cronstream.notify.on", "LOUD"))))
                .hasMessageContaining("cronstream.notify.on");
        assertThatThrownBy(() -> NotifySettings.from(Settings.of(Map.of("cronstream.notify.attempts", "0"))))
                .hasMessageContaining("attempts");
    }
}
