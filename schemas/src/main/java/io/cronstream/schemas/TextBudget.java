package io.cronstream.schemas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps the free text of one stored record (messages, names a producer chose) within a byte budget, so
 * that an accumulation of valid events can never make a record the broker refuses (Kafka's default
 * {@code max.message.bytes} is about 1 MB, for output and changelog topics alike). A text that had to
 * be cut ends with {@link #SUFFIX}: the record says it was truncated.
 */
public final class TextBudget {

    /** Ends every cut text. */
    public static final String SUFFIX = "…[truncated]";
    /** No text is cut shorter than this, however many share a budget. */
    static final int MIN_BYTES = 64;

    private TextBudget() {
    }

    /**
     * An upper bound of the bytes {@code text} takes as a JSON string in UTF-8, quotes included: control
     * characters may be escaped to six bytes, quotes and backslashes to two.
     */
    public static int jsonBytes(String text) {
        if (text == null) {
            return 4;
        }
        int bytes = 2;
        for (int i = 0; i < text.length(); i++) {
            bytes += charBytes(text.charAt(i));
        }
        return bytes;
    }

    /** {@code text} itself when it fits {@code maxBytes} (as {@link #jsonBytes}), else its longest head that does, with {@link #SUFFIX}. */
    public static String fit(String text, int maxBytes) {
        if (text == null || jsonBytes(text) <= maxBytes) {
            return text;
        }
        int room = Math.max(maxBytes, MIN_BYTES) - jsonBytes(SUFFIX);
        int used = 0;
        int end = 0;
        while (end < text.length()) {
            int step = Character.isHighSurrogate(text.charAt(end)) && end + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(end + 1)) ? 2 : 1;
            int bytes = 0;
            for (int i = end; i < end + step; i++) {
                bytes += charBytes(text.charAt(i));
            }
            if (used + bytes > room) {
                break;
            }
            used += bytes;
            end += step;
        }
        return text.substring(0, end) + SUFFIX;
    }

    /**
     * {@code texts} (nulls allowed) cut so that together they take at most {@code budget} bytes: the longest
     * are cut to one common length and the shorter ones stay whole, so one verbose producer cannot crowd
     * out everyone else's text.
     */
    public static List<String> fitAll(List<String> texts, int budget) {
        int[] sizes = new int[texts.size()];
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = jsonBytes(texts.get(i));
            total += sizes[i];
        }
        if (total <= budget) {
            return texts;
        }
        int[] ascending = sizes.clone();
        Arrays.sort(ascending);
        long left = budget;
        int cap = MIN_BYTES;
        for (int i = 0; i < ascending.length; i++) {
            int sharing = ascending.length - i;
            if ((long) ascending[i] * sharing > left) {
                cap = (int) Math.max(MIN_BYTES, left / sharing);
                break;
            }
            left -= ascending[i];
        }
        List<String> fitted = new ArrayList<>(texts.size());
        for (int i = 0; i < sizes.length; i++) {
            fitted.add(sizes[i] > cap ? fit(texts.get(i), cap) : texts.get(i));
        }
        return fitted;
    }

    private static int charBytes(char c) {
        if (c < 0x20) {
            return 6;
        }
        if (c == '"' || c == '\\') {
            return 2;
        }
        if (c < 0x80) {
            return 1;
        }
        return c < 0x800 ? 2 : 3;
    }
}
