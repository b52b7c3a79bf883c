package io.cronstream.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a token may do (DESIGN §11); each role may do everything the ones before it may. */
public enum Role {
    /** Every read. */
    VIEWER,
    /** Trigger, enable, disable, pause, resume. */
    OPERATOR,
    /** Create, edit, delete, register. */
    ADMIN;

    boolean atLeast(Role needed) {
        return compareTo(needed) >= 0;
    }

    static Optional<Role> parse(String text) {
        return Arrays.stream(values()).filter(r -> r.name().equals(text.toUpperCase(Locale.ROOT))).findFirst();
    }

    String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
