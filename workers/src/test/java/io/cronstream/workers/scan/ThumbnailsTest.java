package io.cronstream.workers.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbnailsTest {

    @TempDir
    Path dir;

    private final Thumbnails thumbnails = new Thumbnails(256);

    @Test
    void fitsALargeImageIntoTheSquareKeepingItsAspectRatio() throws Exception {
        BufferedImage thumbnail = thumbnails.render(TestImages.write(dir.resolve("wide.jpg"), 600, 400, 1));

        assertThat(thumbnail.getWidth()).isEqualTo(256);
        assertThat(thumbnail.getHeight()).isEqualTo(171);
    }

    @Test
    void neverEnlargesASmallImage() throws Exception {
        BufferedImage thumbnail = thumbnails.render(TestImages.write(dir.resolve("small.png"), 40, 30, 2));

        assertThat(thumbnail.getWidth()).isEqualTo(40);
        assertThat(thumbnail.getHeight()).isEqualTo(30);
    }

    @Test
    void refusesAFileThatIsNoImage() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.jpg"), "not really a jpeg");

        assertThatThrownBy(() -> thumbnails.render(broken)).isInstanceOf(IOException.class)
                .hasMessageContaining("not an image");
    }
}
