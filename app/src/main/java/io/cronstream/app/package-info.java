/**
 * The Cronstream application as one Kafka Streams topology: its settings (a properties file with
 * {@code CRONSTREAM_*} environment overrides, Kafka settings passed through) and the composition
 * of the ticker and progress sub-topologies. The service main, the local stack and the tests all
 * start from here, so they run the same thing.
 */
package io.cronstream.app;
