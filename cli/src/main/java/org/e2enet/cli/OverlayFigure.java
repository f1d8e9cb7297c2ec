package org.e2enet.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Volume;

/**
 * One slice of a held-out case as a figure a person can read: the image, the ground truth and the prediction side
 * by side, each panel at least {@link #PANEL_WIDTH} pixels wide, titled, with the slice named and a legend giving
 * each class's colour.
 */
final class OverlayFigure {
    /** The narrowest panel, in pixels: a 48-voxel-wide phantom is drawn 7 pixels a voxel. */
    static final int PANEL_WIDTH = 320;
    private static final Color[] CLASS_COLOURS = {new Color(0, 0, 0), new Color(230, 60, 60), new Color(60, 200, 90),
        new Color(70, 120, 240), new Color(240, 200, 40)};
    private static final int TITLE = 28;
    private static final int LEGEND = 34;
    private static final int GAP = 8;
    /** The window the CT-like phantoms are shown in (Hounsfield units). */
    private static final double LO = -150;
    private static final double HI = 350;

    private OverlayFigure() {
    }

    /**
     * Writes the figure of the slice of {@code truth} showing the most classes (then the most foreground).
     *
     * @param file the PNG to write (atomically)
     * @param caseId the case, named in the caption
     * @param img the image
     * @param truth its ground truth
     * @param prediction the prediction
     * @param classNames class names by label (0 the background)
     */
    static void write(Path file, String caseId, Volume img, Volume truth, Volume prediction, List<String> classNames) throws IOException {
        Shape3 s = img.shape();
        int z = richestSlice(truth);
        int scale = Math.max(1, (PANEL_WIDTH + s.w() - 1) / s.w());
        int pw = s.w() * scale;
        int ph = s.h() * scale;
        BufferedImage canvas = new BufferedImage(3 * pw + 4 * GAP, TITLE + ph + LEGEND + 2 * GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        String[] titles = {"image", "ground truth", "prediction"};
        for (int panel = 0; panel < 3; panel++) {
            int x0 = GAP + panel * (pw + GAP);
            g.setColor(Color.BLACK);
            g.drawString(titles[panel], x0, TITLE - 9);
            Volume overlay = panel == 1 ? truth : panel == 2 ? prediction : null;
            for (int y = 0; y < s.h(); y++) {
                for (int x = 0; x < s.w(); x++) {
                    g.setColor(colour(img, overlay, s.index(z, y, x)));
                    g.fillRect(x0 + x * scale, TITLE + y * scale, scale, scale);
                }
            }
        }
        int y = TITLE + ph + GAP + 18;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int x = GAP;
        for (int c = 1; c < classNames.size(); c++) {
            g.setColor(CLASS_COLOURS[Math.min(c, CLASS_COLOURS.length - 1)]);
            g.fillRect(x, y - 12, 14, 14);
            g.setColor(Color.BLACK);
            String name = c + " " + classNames.get(c);
            g.drawString(name, x + 20, y);
            x += 20 + g.getFontMetrics().stringWidth(name) + 24;
        }
        g.setColor(Color.DARK_GRAY);
        String caption = "case " + caseId + ", axial slice " + z + " of " + s.d() + " (0-based), " + s.h() + " x " + s.w() + " voxels";
        g.drawString(caption, Math.max(x, canvas.getWidth() - GAP - g.getFontMetrics().stringWidth(caption)), y);
        g.dispose();
        AtomicFiles.write(file, o -> ImageIO.write(canvas, "png", o));
    }

    /** A voxel's grey value, blended half and half with its class colour where {@code overlay} labels it. */
    private static Color colour(Volume img, Volume overlay, int i) {
        int grey = (int) Math.max(0, Math.min(255, 255 * (img.value(0, i) - LO) / (HI - LO)));
        int label = overlay == null ? 0 : (int) overlay.value(0, i);
        if (label <= 0) {
            return new Color(grey, grey, grey);
        }
        Color k = CLASS_COLOURS[Math.min(label, CLASS_COLOURS.length - 1)];
        return new Color((grey + k.getRed()) / 2, (grey + k.getGreen()) / 2, (grey + k.getBlue()) / 2);
    }

    /** The slice showing the most classes, then the most foreground: where the figure has something to show. */
    static int richestSlice(Volume labels) {
        Shape3 s = labels.shape();
        int best = s.d() / 2;
        long bestScore = -1;
        for (int z = 0; z < s.d(); z++) {
            java.util.BitSet classes = new java.util.BitSet();
            long foreground = 0;
            for (int i = z * s.h() * s.w(); i < (z + 1) * s.h() * s.w(); i++) {
                int label = (int) labels.value(0, i);
                if (label > 0) {
                    classes.set(label);
                    foreground++;
                }
            }
            long score = classes.cardinality() * (long) s.voxelsInt() + foreground;
            if (score > bestScore) {
                bestScore = score;
                best = z;
            }
        }
        return best;
    }
}
