package io.cronstream.app.alerts;

import io.cronstream.schemas.Alert;
import java.util.List;

/** One use of the alerts on {@code cronstream.alerts}, run by an {@link AlertConsumer}. */
@FunctionalInterface
public interface AlertHandler {

    /**
     * Handles one alert, retrying what may pass on a retry; returns why parts of it could not be done (each becomes a
     * dead letter), empty when all was done.
     *
     * @throws InterruptedException the service is closing: the alert is left for the next start
     * @throws RuntimeException      what cannot be settled now (a lookup while the service starts): the alert is
     *                               tried again after a pause, never dead-lettered for it
     */
    List<String> handle(Alert alert) throws InterruptedException;
}
