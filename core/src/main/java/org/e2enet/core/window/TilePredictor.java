package org.e2enet.core.window;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.e2enet.core.volume.Shape3;

/**
 * Runs batches of tiles through the network and adds their softmax into the accumulator. Each tile is copied
 * once, from the volume straight into the network's input buffer (flipped on the way for mirroring); without
 * mirroring the logits are read straight out of the network's output buffer, with it they are summed flipped
 * back into one array and averaged.
 */
final class TilePredictor implements AutoCloseable {
    private final TileNetwork model;
    private final Shape3 tile;
    private final boolean mirroring;
    private final Map<Integer, TileBuffers> buffers = new HashMap<>();
    private long networkNs;

    TilePredictor(TileNetwork model, Shape3 tile, boolean mirroring) {
        this.model = model;
        this.tile = tile;
        this.mirroring = mirroring;
    }

    /** Nanoseconds spent inside the network's runs so far. */
    long networkNs() {
        return networkNs;
    }

    /** Predicts the tiles starting at {@code starts} (d, h, w) of {@code input} and adds them into {@code acc}. */
    void predictInto(float[][] input, Shape3 volume, List<int[]> starts, SlabAccumulator acc, float[] gaussian) {
        int c = input.length;
        int b = starts.size();
        int classes = model.classes();
        int n = tile.voxelsInt();
        TileBuffers io = buffers.computeIfAbsent(b, k -> model.buffers(new long[] {k, c, tile.d(), tile.h(), tile.w()}));
        fill(io.input(), input, volume, starts, 0);
        FloatBuffer logits = timedRun(io);
        float scale = 1f;
        if (mirroring) {
            float[] sum = new float[b * classes * n];
            addFlipped(logits, sum, b * classes, 0);
            for (int mask = 1; mask < 8; mask++) {
                fill(io.input(), input, volume, starts, mask);
                addFlipped(timedRun(io), sum, b * classes, mask);
            }
            logits = FloatBuffer.wrap(sum);
            scale = 1f / 8;
        }
        for (int t = 0; t < b; t++) {
            acc.addSoftmax(starts.get(t), logits, t * classes * n, scale, gaussian);
        }
    }

    private FloatBuffer timedRun(TileBuffers io) {
        long t0 = System.nanoTime();
        FloatBuffer out = io.run();
        networkNs += System.nanoTime() - t0;
        return out;
    }

    /** Copies each tile's channels into {@code dst}, flipped along d (bit 1), h (bit 2), w (bit 4) of {@code mask}. */
    private void fill(FloatBuffer dst, float[][] input, Shape3 volume, List<int[]> starts, int mask) {
        int n = tile.voxelsInt();
        float[] row = new float[tile.w()];
        for (int t = 0; t < starts.size(); t++) {
            int[] s = starts.get(t);
            for (int ch = 0; ch < input.length; ch++) {
                int base = (t * input.length + ch) * n;
                for (int z = 0; z < tile.d(); z++) {
                    int sz = (mask & 1) != 0 ? tile.d() - 1 - z : z;
                    for (int y = 0; y < tile.h(); y++) {
                        int sy = (mask & 2) != 0 ? tile.h() - 1 - y : y;
                        int from = volume.index(s[0] + sz, s[1] + sy, s[2]);
                        if ((mask & 4) == 0) {
                            dst.put(base + tile.index(z, y, 0), input[ch], from, tile.w());
                        } else {
                            for (int x = 0; x < row.length; x++) {
                                row[x] = input[ch][from + row.length - 1 - x];
                            }
                            dst.put(base + tile.index(z, y, 0), row);
                        }
                    }
                }
            }
        }
    }

    /** Adds {@code planes} tile volumes of {@code a}, flipped back by {@code mask}, into {@code sum}. */
    private void addFlipped(FloatBuffer a, float[] sum, int planes, int mask) {
        int n = tile.voxelsInt();
        for (int p = 0; p < planes; p++) {
            for (int z = 0; z < tile.d(); z++) {
                int sz = (mask & 1) != 0 ? tile.d() - 1 - z : z;
                for (int y = 0; y < tile.h(); y++) {
                    int sy = (mask & 2) != 0 ? tile.h() - 1 - y : y;
                    int to = p * n + tile.index(z, y, 0);
                    int from = p * n + tile.index(sz, sy, 0);
                    for (int x = 0; x < tile.w(); x++) {
                        sum[to + x] += a.get(from + ((mask & 4) != 0 ? tile.w() - 1 - x : x));
                    }
                }
            }
        }
    }

    /** Releases the network's buffers. */
    @Override
    public void close() {
        buffers.values().forEach(TileBuffers::close);
        buffers.clear();
    }
}
