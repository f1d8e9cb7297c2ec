package org.e2enet.core.window;

import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.volume.Shape3;

/**
 * nnU-Net's sliding-window geometry: tiles of the patch size, per axis ceil((size - tile) / (tile * step)) + 1
 * positions spread evenly from 0 to size - tile, and the Gaussian importance map (sigma = tile / 8 per axis,
 * truncated at 4 sigma like SciPy's filter, normalised to a maximum of 1, zeros replaced by the smallest
 * non-zero value).
 */
public final class SlidingWindow {
    private SlidingWindow() {
    }

    /** Tile start positions along one axis of {@code size} voxels (size &gt;= tile). */
    public static int[] positions(int size, int tile, double step) {
        if (size < tile) {
            throw new IllegalArgumentException("axis of " + size + " is smaller than the tile " + tile + " (pad first)");
        }
        int steps = (int) Math.ceil((size - tile) / (tile * step)) + 1;
        int[] out = new int[steps];
        double actual = steps > 1 ? (double) (size - tile) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) {
            out[i] = (int) Math.round(actual * i);
        }
        return out;
    }

    /** Every tile's (d, h, w) start, d slowest. */
    public static List<int[]> tiles(Shape3 volume, Shape3 tile, double step) {
        List<int[]> out = new ArrayList<>();
        for (int z : positions(volume.d(), tile.d(), step)) {
            for (int y : positions(volume.h(), tile.h(), step)) {
                for (int x : positions(volume.w(), tile.w(), step)) {
                    out.add(new int[] {z, y, x});
                }
            }
        }
        return out;
    }

    /** The Gaussian importance map of a tile. */
    public static float[] gaussian(Shape3 tile) {
        double[][] axis = new double[3][];
        for (int a = 0; a < 3; a++) {
            int n = tile.get(a);
            double sigma = n / 8.0;
            double center = n / 2;
            axis[a] = new double[n];
            for (int i = 0; i < n; i++) {
                double d = i - center;
                axis[a][i] = Math.abs(d) > 4 * sigma + 0.5 ? 0 : Math.exp(-0.5 * d * d / (sigma * sigma));
            }
        }
        float[] map = new float[tile.voxelsInt()];
        double max = 0;
        for (int z = 0; z < tile.d(); z++) {
            for (int y = 0; y < tile.h(); y++) {
                for (int x = 0; x < tile.w(); x++) {
                    double v = axis[0][z] * axis[1][y] * axis[2][x];
                    map[tile.index(z, y, x)] = (float) v;
                    max = Math.max(max, v);
                }
            }
        }
        float minPositive = Float.MAX_VALUE;
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) (map[i] / max);
            if (map[i] > 0) {
                minPositive = Math.min(minPositive, map[i]);
            }
        }
        for (int i = 0; i < map.length; i++) {
            if (map[i] == 0) {
                map[i] = minPositive;
            }
        }
        return map;
    }
}
