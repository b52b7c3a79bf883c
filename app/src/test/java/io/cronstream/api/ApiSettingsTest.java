package io.cronstream.api;

import io.cronstream.app.CronstreamApp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cronstream.app.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiSettingsTest {

    @Test
    void productionHasNoTokenUnlessConfigured() {
        ApiSettings settings = CronstreamApp.apiSettings(Settings.of(Map.of()));
        assertThat(settings.mode()).isEqualTo(ApiSettings.Mode.PRODUCTION);
        assertThat(settings.token()).isEmpty();
        assertThat(settings.port()).isEqualTo(7070);
        assertThat(settings.tokenSource()).contains("triggers are disabled");
    }

    @Test
    void devModeFallsBackToTheDevTokenAndSaysSo() {
        ApiSettings settings = CronstreamApp.apiSettings(Settings.of(Map.of("cronstream.api.mode", "dev")));
        assertThat(settings.token()).contains(ApiSettings.DEV_TOKEN);
        assertThat(settings.tokenSource()).contains("dev-token");
    }

    @Test
    void environmentOverridesReachEverySetting() {
        ApiSettings settings = CronstreamApp.apiSettings(Settings.load(null, Map.of(
                "CRONSTREAM_API_TOKEN", "s3cret",
                "CRONSTREAM_API_PORT", "8081",
                "CRONSTREAM_API_ADVERTISED_HOST", "node-2",
                "CRONSTREAM_API_MAX_BODY_BYTES", "100",
                "CRONSTREAM_API_PEER_TIMEOUT", "PT1S",
                "CRONSTREAM_API_TRIGGER_MIN_INTERVAL", "PT30S")));
        assertThat(settings.advertised()).isEqualTo("node-2:8081");
        assertThat(settings.token()).contains("s3cret");
        assertThat(settings.maxBodyBytes()).isEqualTo(100);
        assertThat(settings.peerTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.triggerInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.toString()).doesNotContain("s3cret");
    }

    @Test
    void aPeerSecretIsReadNeverShownAndMustNotBeShort() {
        ApiSettings settings = CronstreamApp.apiSettings(Settings.load(null, Map.of(
                "CRONSTREAM_API_PEER_SECRET", "0123456789abcdef-peers")));
        assertThat(settings.peerSecret()).contains("0123456789abcdef-peers");
        assertThat(settings.toString()).doesNotContain("0123456789abcdef").contains("peerSecret=<set>");
        assertThat(PeerAuth.source(settings)).isEqualTo(PeerAuth.KeySource.PEER_SECRET);
        assertThat(PeerAuth.source(CronstreamApp.apiSettings(Settings.of(Map.of("cronstream.api.token", "t")))))
                .isEqualTo(PeerAuth.KeySource.API_TOKEN);
        assertThat(PeerAuth.source(CronstreamApp.apiSettings(Settings.of(Map.of())))).isEqualTo(PeerAuth.KeySource.NONE);
        assertThatThrownBy(() -> CronstreamApp.apiSettings(Settings.of(Map.of("cronstream.api.peer.secret", "short-one"))))
                .hasMessageContaining("cronstream.api.peer.secret: at least 16 characters")
                .message().doesNotContain("short-one");
    }

    @Test
    void refusesAnUnknownMode() {
        assertThatThrownBy(() -> CronstreamApp.apiSettings(Settings.of(Map.of("cronstream.api.mode", "staging"))))
                .hasMessageContaining("expected dev or production");
    }

    @Test
    void roleTokensMongoAndWriteWait() {
        String digest = "a".repeat(64);
        Settings raw = Settings.load(null, Map.of(
                "CRONSTREAM_API_TOKENS", "grafana:viewer:" + digest + ", oncall:operator:" + "b".repeat(64),
                "CRONSTREAM_API_WRITE_WAIT", "PT2S",
                "CRONSTREAM_MONGO_URI", "mongodb://app:pw@db:27017",
                "CRONSTREAM_MONGO_COLLECTION", "jobs",
                "CRONSTREAM_MONGO_CHANGES_RETENTION", "P90D"));
        ApiSettings settings = CronstreamApp.apiSettings(raw);
        assertThat(settings.tokens()).extracting(ApiSettings.RoleToken::name, ApiSettings.RoleToken::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("grafana", Role.VIEWER),
                        org.assertj.core.groups.Tuple.tuple("oncall", Role.OPERATOR));
        assertThat(settings.writeWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.toString()).doesNotContain(digest);
        assertThat(CronstreamApp.mongo(raw)).hasValueSatisfying(mongo -> {
            assertThat(mongo.database()).isEqualTo("scheduler");
            assertThat(mongo.collection()).isEqualTo("jobs");
            assertThat(mongo.trailRetention()).isEqualTo(Duration.ofDays(90));
            assertThat(mongo.toString()).doesNotContain("pw");
        });
        assertThat(CronstreamApp.mongo(Settings.of(Map.of("cronstream.mongo.uri", "mongodb://db"))))
                .hasValueSatisfying(mongo -> assertThat(mongo.trailRetention()).isEqualTo(Duration.ofDays(365)));
        assertThat(CronstreamApp.mongo(Settings.of(Map.of()))).isEmpty();
        assertThatThrownBy(() -> CronstreamApp.apiSettings(Settings.of(Map.of("cronstream.api.tokens",
                "x:root:" + digest)))).hasMessageContaining("expected viewer, operator or admin").hasMessageNotContaining(digest);
        assertThatThrownBy(() -> CronstreamApp.apiSettings(Settings.of(Map.of("cronstream.api.tokens", "x:admin:abc"))))
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> MongoJobs.connect(new MongoJobs.Config("http://u:secretpw@x", "d", "c",
                MongoJobs.Config.DEFAULT_TRAIL_RETENTION)))
                .hasMessageContaining("cronstream.mongo.uri").hasMessageNotContaining("secretpw");
    }
}
