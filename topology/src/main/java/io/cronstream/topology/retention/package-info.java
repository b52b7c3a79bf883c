/** Retention (DESIGN §10): finished runs leave the stores after {@code cronstream.progress.run.retention}. */
package io.cronstream.topology.retention;
