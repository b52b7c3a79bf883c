/**
 * The one-command local stack ({@code ./cronstream dev}): a KRaft broker, a MongoDB-compatible
 * server and a Kafka Connect worker running the real MongoDB source connector (all from
 * {@code connectors}), plus Cronstream and its API, in one JVM, with state under
 * {@code .cronstream/}. {@code --demo} adds example jobs and a simulated worker.
 */
package io.cronstream.local;
