package org.e2enet.core.window;

import java.util.Arrays;
import org.e2enet.core.volume.Shape3;

/**
 * Gaussian-weighted accumulation of tile probabilities in a buffer one tile deep: tiles arrive in ascending
 * depth order, and every slice above the next tile's first slice is final, so it is normalised, reduced to
 * its argmax (and copied to full probability maps if asked) and its buffer space reused.
 */
final class SlabAccumulator {
    private final Shape3 volume;
    private final Shape3 tile;
    private final int classes;
    private final int plane;
    private final float[][] sums;
    private final float[] weights;
    private final byte[] labels;
    private final float[][] probabilities;
    private int base;

    /**
     * @param volume the (padded) volume
     * @param tile the tile
     * @param classes output classes
     * @param keepProbabilities also keep full probability maps
     */
    SlabAccumulator(Shape3 volume, Shape3 tile, int classes, boolean keepProbabilities) {
        this.volume = volume;
        this.tile = tile;
        this.classes = classes;
        this.plane = volume.h() * volume.w();
        this.sums = new float[classes][tile.d() * plane];
        this.weights = new float[tile.d() * plane];
        this.labels = new byte[volume.voxelsInt()];
        this.probabilities = keepProbabilities ? new float[classes][volume.voxelsInt()] : null;
    }

    /** Finalises every slice before {@code z} (no later tile starts above it). */
    void advanceTo(int z) {
        if (z <= base) {
            return;
        }
        finalise(z);
    }

    /** Adds one tile's probabilities (classes x tile voxels) starting at (d, h, w). */
    void add(int[] start, float[] probs, float[] gaussian) {
        int n = tile.voxelsInt();
        for (int z = 0; z < tile.d(); z++) {
            int bz = start[0] + z - base;
            for (int y = 0; y < tile.h(); y++) {
                int row = bz * plane + (start[1] + y) * volume.w() + start[2];
                int trow = tile.index(z, y, 0);
                for (int x = 0; x < tile.w(); x++) {
                    float g = gaussian[trow + x];
                    weights[row + x] += g;
                    for (int k = 0; k < classes; k++) {
                        sums[k][row + x] += g * probs[k * n + trow + x];
                    }
                }
            }
        }
    }

    /** Finalises the remaining slices. */
    void finish() {
        finalise(volume.d());
    }

    private void finalise(int until) {
        int slices = Math.min(until, base + tile.d()) - base;
        for (int i = 0; i < slices * plane; i++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (sums[k][i] > sums[best][i]) {
                    best = k;
                }
            }
            int global = base * plane + i;
            labels[global] = (byte) best;
            if (probabilities != null) {
                float w = weights[i] > 0 ? weights[i] : 1;
                for (int k = 0; k < classes; k++) {
                    probabilities[k][global] = sums[k][i] / w;
                }
            }
        }
        int keep = (tile.d() - slices) * plane;
        for (float[] s : sums) {
            System.arraycopy(s, slices * plane, s, 0, keep);
            Arrays.fill(s, keep, s.length, 0f);
        }
        System.arraycopy(weights, slices * plane, weights, 0, keep);
        Arrays.fill(weights, keep, weights.length, 0f);
        base += slices;
        if (base < until) {
            // a gap between tiles cannot happen (tiles overlap or touch), but never leave slices unlabelled
            base = until;
        }
    }

    /** The argmax labels (after {@link #finish()}). */
    byte[] labels() {
        return labels;
    }

    /** The probability maps, when kept (after {@link #finish()}). */
    float[][] probabilities() {
        return probabilities;
    }
}
