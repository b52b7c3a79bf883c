package io.cronstream.workers.scan;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small generated images; each seed draws a different picture, so its bytes (and hash) differ. */
final class TestImages {

    private TestImages() {
    }

    static Path write(Path file, int width, int height, int seed) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setColor(new Color(Color.HSBtoRGB((seed * 0.137f) % 1f, 0.6f, 0.9f)));
            graphics.fillRect(0, 0, width, height);
            graphics.setColor(Color.DARK_GRAY);
            graphics.fillOval(seed % Math.max(1, width / 2), seed % Math.max(1, height / 2), width / 3 + 1, height / 3 + 1);
        } finally {
            graphics.dispose();
        }
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        String format = name.endsWith(".png") ? "png" : "jpg";
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }
}
