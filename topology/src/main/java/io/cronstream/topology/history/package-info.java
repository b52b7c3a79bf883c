/** Run history: each job's last runs, newest first, with success rate, durations and last outcomes. */
package io.cronstream.topology.history;
