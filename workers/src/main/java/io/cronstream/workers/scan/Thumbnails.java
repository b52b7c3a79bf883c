package io.cronstream.workers.scan;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Renders thumbnails with the JDK's ImageIO: fits the image in a square, never enlarges it, writes PNG. */
final class Thumbnails {

    private final int maxSize;

    Thumbnails(int maxSize) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("thumbnail size must be positive, got " + maxSize);
        }
        this.maxSize = maxSize;
    }

    BufferedImage render(Path source) throws IOException {
        BufferedImage image = ImageIO.read(source.toFile());
        if (image == null) {
            throw new IOException("not an image format ImageIO can read");
        }
        double scale = Math.min(1.0, (double) maxSize / Math.max(image.getWidth(), image.getHeight()));
        int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
        // ARGB keeps transparency, which PNG stores
        BufferedImage thumbnail = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = thumbnail.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(image, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        return thumbnail;
    }

    void write(BufferedImage thumbnail, Path target) throws IOException {
        if (!ImageIO.write(thumbnail, "png", target.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }
}
