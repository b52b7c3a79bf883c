/**
 * What the service does with the alerts on {@code cronstream.alerts} outside Kafka Streams (DESIGN §12): the webhook
 * notifier and the writer of automatic pauses into MongoDB, each a consumer of its own with at-least-once delivery.
 */
package io.cronstream.app.alerts;
