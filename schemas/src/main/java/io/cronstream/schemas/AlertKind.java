package io.cronstream.schemas;

/** A stuck-run alert opens a stall (STUCK) or closes it (RECOVERED). */
public enum AlertKind {
    STUCK,
    RECOVERED
}
