package io.cronstream.workers.files;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Which files belong to a library, by file-name extension (case-insensitive); {@code *} accepts all. */
public record ExtensionFilter(Set<String> extensions) {

    /** What ImageIO reads out of the box, plus the formats cameras and phones write today. */
    public static final ExtensionFilter IMAGES =
            parse("jpg,jpeg,png,gif,bmp,wbmp,tif,tiff,webp,heic,heif,avif");

    public ExtensionFilter {
        extensions = Set.copyOf(extensions);
        if (extensions.isEmpty()) {
            throw new IllegalArgumentException("no extensions given; use * to accept every file");
        }
    }

    /** A comma-separated list such as {@code jpg,.PNG,tiff} or {@code *}. */
    public static ExtensionFilter parse(String list) {
        return new ExtensionFilter(Arrays.stream(list.split(","))
                .map(String::trim)
                .map(extension -> extension.startsWith(".") ? extension.substring(1) : extension)
                .filter(extension -> !extension.isEmpty())
                .map(extension -> extension.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet()));
    }

    public boolean accepts(String fileName) {
        if (extensions.contains("*")) {
            return true;
        }
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && extensions.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
