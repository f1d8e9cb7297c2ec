package org.e2enet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.e2enet.core.synth.PhantomGenerator;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayFigureTest {
    @TempDir
    Path dir;

    @Test
    void aSmallPhantomIsDrawnAtAReadableSizeWithALegendSwatchForEachClass() throws Exception {
        org.e2enet.core.synth.PhantomCase c = new PhantomGenerator(new Shape3(32, 48, 48), 3).generate(7, 0);
        Volume image = c.image();
        Volume truth = c.label();
        Path png = dir.resolve("overlay.png");
        OverlayFigure.write(png, "phantom_000", image, truth, truth, List.of("background", "organ", "vessel"));
        BufferedImage read = ImageIO.read(png.toFile());
        // the old figure drew 3 voxels a pixel: 432 x 144 for three 48 x 48 panels
        assertTrue(read.getWidth() >= 3 * OverlayFigure.PANEL_WIDTH, "width " + read.getWidth());
        assertTrue(read.getHeight() >= OverlayFigure.PANEL_WIDTH, "height " + read.getHeight());
        int[] swatches = new int[3];
        for (int y = 0; y < read.getHeight(); y++) {
            for (int x = 0; x < read.getWidth(); x++) {
                int rgb = read.getRGB(x, y) & 0xffffff;
                if (rgb == 0xe63c3c) {
                    swatches[1]++;
                } else if (rgb == 0x3cc85a) {
                    swatches[2]++;
                }
            }
        }
        // each class's colour unblended: its legend swatch (the panels blend it with the image's grey)
        assertEquals(14 * 14, swatches[1]);
        assertEquals(14 * 14, swatches[2]);
    }
}
