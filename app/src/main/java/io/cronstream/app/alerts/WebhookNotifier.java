package io.cronstream.app.alerts;

import io.cronstream.schemas.Alert;
import io.cronstream.ticker.job.Notify;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends each alert to the job's {@code notify.webhooks} when it has any, else to {@code cronstream.notify.webhooks}
 * (DESIGN §12); a job's {@code notify.on} narrows the kinds either way, {@code cronstream.notify.on} those sent to the
 * global webhooks. Each webhook is tried on its own, so one that fails delays, but never drops, the others.
 */
public final class WebhookNotifier implements AlertHandler {

    private final NotifySettings settings;
    private final Function<String, Optional<Notify>> jobNotify;
    private final Webhooks webhooks;

    /**
     * @param jobNotify a job's {@code notify} by jobId (empty: the job has none, or is not known); may throw while the
     *                  job cannot be looked up (the service starting, a rebalance): the alert is then tried again
     *                  later, never dead-lettered, since where it should go is not known yet
     */
    public WebhookNotifier(NotifySettings settings, Function<String, Optional<Notify>> jobNotify) {
        this.settings = settings;
        this.jobNotify = jobNotify;
        this.webhooks = new Webhooks(settings.requestTimeout(), settings.backoff());
    }

    @Override
    public List<String> handle(Alert alert) throws InterruptedException {
        List<URI> targets = targets(alert);
        List<String> failures = new ArrayList<>();
        for (URI target : targets) {
            webhooks.deliver(target, alert).ifPresent(failures::add);
        }
        return failures;
    }

    /** Where this alert goes: possibly nowhere. */
    List<URI> targets(Alert alert) {
        Optional<Notify> notify = jobNotify.apply(alert.jobId());
        if (notify.isPresent() && !notify.get().wants(alert.kind())) {
            return List.of();
        }
        if (notify.isPresent() && !notify.get().webhooks().isEmpty()) {
            List<URI> own = new ArrayList<>();
            for (String url : notify.get().webhooks()) {
                try {
                    own.add(URI.create(url));
                } catch (IllegalArgumentException e) {
                    // the parser refuses such a job; one defined before it did is skipped, not fatal
                }
            }
            return own;
        }
        return settings.wants(alert.kind()) ? settings.webhooks() : List.of();
    }
}
