/**
 * The progress sub-topology: wiring ({@link io.cronstream.topology.ProgressTopology}), its settings,
 * and the parse step every input topic goes through first. See {@code topology/README.md}.
 */
package io.cronstream.topology;
