package org.e2enet.core.window;

import java.util.List;
import org.e2enet.core.volume.Shape3;

/** Runs tiles through the model and turns their logits into class probabilities, with optional mirroring. */
final class TilePredictor {
    private final TileNetwork model;
    private final Shape3 tile;
    private final boolean mirroring;

    TilePredictor(TileNetwork model, Shape3 tile, boolean mirroring) {
        this.model = model;
        this.tile = tile;
        this.mirroring = mirroring;
    }

    /** Softmax probabilities (classes x tile voxels) of each tile starting at the given (d, h, w) positions. */
    float[][] predict(float[][] input, Shape3 volume, List<int[]> starts) {
        int c = input.length;
        int n = tile.voxelsInt();
        int b = starts.size();
        float[] batch = new float[b * c * n];
        for (int t = 0; t < b; t++) {
            int[] s = starts.get(t);
            for (int ch = 0; ch < c; ch++) {
                for (int z = 0; z < tile.d(); z++) {
                    for (int y = 0; y < tile.h(); y++) {
                        System.arraycopy(input[ch], volume.index(s[0] + z, s[1] + y, s[2]), batch, (t * c + ch) * n + tile.index(z, y, 0), tile.w());
                    }
                }
            }
        }
        long[] shape = {b, c, tile.d(), tile.h(), tile.w()};
        int classes = model.classes();
        float[] logits = model.run(batch, shape);
        if (mirroring) {
            for (int mask = 1; mask < 8; mask++) {
                float[] flipped = model.run(flip(batch, b * c, mask), shape);
                float[] back = flip(flipped, b * classes, mask);
                for (int i = 0; i < logits.length; i++) {
                    logits[i] += back[i];
                }
            }
            for (int i = 0; i < logits.length; i++) {
                logits[i] /= 8;
            }
        }
        float[][] out = new float[b][classes * n];
        for (int t = 0; t < b; t++) {
            softmax(logits, t * classes * n, classes, n, out[t]);
        }
        return out;
    }

    /** Flips {@code planes} volumes of the tile along d (bit 1), h (bit 2), w (bit 4). */
    private float[] flip(float[] a, int planes, int mask) {
        int n = tile.voxelsInt();
        float[] out = new float[a.length];
        for (int p = 0; p < planes; p++) {
            for (int z = 0; z < tile.d(); z++) {
                int sz = (mask & 1) != 0 ? tile.d() - 1 - z : z;
                for (int y = 0; y < tile.h(); y++) {
                    int sy = (mask & 2) != 0 ? tile.h() - 1 - y : y;
                    for (int x = 0; x < tile.w(); x++) {
                        int sx = (mask & 4) != 0 ? tile.w() - 1 - x : x;
                        out[p * n + tile.index(z, y, x)] = a[p * n + tile.index(sz, sy, sx)];
                    }
                }
            }
        }
        return out;
    }

    private static void softmax(float[] logits, int offset, int classes, int n, float[] out) {
        for (int v = 0; v < n; v++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[offset + k * n + v]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                double e = Math.exp(logits[offset + k * n + v] - max);
                out[k * n + v] = (float) e;
                sum += e;
            }
            for (int k = 0; k < classes; k++) {
                out[k * n + v] /= (float) sum;
            }
        }
    }
}
