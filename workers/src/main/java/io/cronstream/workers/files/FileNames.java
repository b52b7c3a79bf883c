package io.cronstream.workers.files;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** File names derived from ids that come from outside (libraryIds), safe on every file system. */
public final class FileNames {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private FileNames() {
    }

    /** The id itself when it is a plain name; otherwise a stable digest of it, so no id can climb out of a folder. */
    public static String forId(String id) {
        if (PLAIN.matcher(id).matches() && !id.contains("..")) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "id-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
