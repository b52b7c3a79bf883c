/**
 * Stuck detection: the activity index sorted by when each run's silence becomes too long, the
 * wall-clock scan that reads only the overdue part of it, and the STUCK / RECOVERED decision. The same index
 * and scan carry the run timeouts and start deadlines of DESIGN §12.
 */
package io.cronstream.topology.stuck;
