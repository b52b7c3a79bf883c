package io.cronstream.schemas;

/**
 * Text from outside (a job's name, a bad field's value quoted in a reason) made safe for one log line
 * or header: control characters and line separators become {@code \}{@code uXXXX}, so a value cannot
 * break a line or forge another.
 */
public final class Printable {

    private Printable() {
    }

    public static String escape(String text) {
        if (text == null || text.chars().noneMatch(Printable::unsafe)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.chars().forEach(c -> {
            if (unsafe(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }

    private static boolean unsafe(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
