package io.cronstream.schemas;

/** The one size check of every input record: a value over its bound is refused with the same reason everywhere. */
public final class RecordSize {

    private RecordSize() {
    }

    /** Throws {@link InvalidRecordException} when {@code value} is longer than {@code max} bytes. */
    public static void requireAtMost(byte[] value, int max, String what) {
        if (value != null && value.length > max) {
            throw new InvalidRecordException(tooLarge("value", value.length, max, what));
        }
    }

    /** {@code "value is 70000 bytes, more than the 65536 a command may have"}. */
    public static String tooLarge(String part, int size, int max, String what) {
        return part + " is " + size + " bytes, more than the " + max + " " + what + " may have";
    }
}
