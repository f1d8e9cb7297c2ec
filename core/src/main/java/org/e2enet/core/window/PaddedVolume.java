package org.e2enet.core.window;

import org.e2enet.core.preprocess.BoundingBox;
import org.e2enet.core.volume.Shape3;

/**
 * A volume padded with zeros, centred, to at least the tile along every axis, as the sliding window pads
 * volumes smaller than the tile (nnU-Net's rule); unchanged when it already is that large.
 *
 * @param channels the padded channels (the input's own arrays when no padding was needed)
 * @param shape the padded grid
 * @param inside where the original volume lies in it
 */
public record PaddedVolume(float[][] channels, Shape3 shape, BoundingBox inside) {
    /** Pads {@code channels} on {@code shape} for tiles of {@code tile}. */
    public static PaddedVolume of(float[][] channels, Shape3 shape, Shape3 tile) {
        int[] padLo = new int[3];
        int[] padded = new int[3];
        for (int a = 0; a < 3; a++) {
            padded[a] = Math.max(shape.get(a), tile.get(a));
            padLo[a] = (padded[a] - shape.get(a)) / 2;
        }
        Shape3 pshape = Shape3.of(padded);
        BoundingBox inside = new BoundingBox(padLo, new int[] {padLo[0] + shape.d(), padLo[1] + shape.h(), padLo[2] + shape.w()});
        float[][] out = new float[channels.length][];
        for (int c = 0; c < out.length; c++) {
            out[c] = shape.equals(pshape) ? channels[c] : inside.uncrop(channels[c], pshape, 0f);
        }
        return new PaddedVolume(out, pshape, inside);
    }

    /** Whether padding was needed. */
    public boolean padded() {
        return !inside.shape().equals(shape);
    }

    /** {@code labels} of the original grid placed on the padded one (background around it). */
    public byte[] pad(byte[] labels) {
        return padded() ? inside.uncrop(labels, shape) : labels;
    }
}
