package io.cronstream.ticker.job;

import io.cronstream.schemas.AlertKind;
import java.util.List;

/**
 * A job's {@code notify}: the webhooks its alerts are POSTed to (instead of the global ones), and which kinds
 * (empty: every kind).
 */
public record Notify(List<String> webhooks, List<AlertKind> on) {

    public Notify {
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
        on = on == null ? List.of() : List.copyOf(on);
    }

    public boolean wants(AlertKind kind) {
        return on.isEmpty() || on.contains(kind);
    }
}
