/**
 * Recent alerts (DESIGN §7 {@code GET /api/v1/alerts}, §12): every alert read from {@code cronstream.alerts} kept
 * per partition, newest first, for a bounded time and number, with a maintained count per kind for {@code /metrics}.
 */
package io.cronstream.topology.alerts;
