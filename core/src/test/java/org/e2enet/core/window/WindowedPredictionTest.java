package org.e2enet.core.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.e2enet.core.volume.Shape3;
import org.junit.jupiter.api.Test;

class WindowedPredictionTest {
    private static final Shape3 TILE = new Shape3(8, 8, 8);
    private static final Shape3 VOLUME = new Shape3(13, 6, 21); // h smaller than the tile: padded

    /** Logits (0, x, -x) at every voxel: class 1 has probability e^x / (1 + e^x + e^-x) wherever the tiles fall. */
    private static class Pointwise implements TileNetwork {
        @Override
        public float[] run(float[] input, long[] shape) {
            int n = (int) (shape[2] * shape[3] * shape[4]);
            float[] out = new float[(int) shape[0] * 3 * n];
            for (int t = 0; t < shape[0]; t++) {
                for (int v = 0; v < n; v++) {
                    float x = input[t * n + v];
                    out[(t * 3 + 1) * n + v] = x;
                    out[(t * 3 + 2) * n + v] = -x;
                }
            }
            return out;
        }

        @Override
        public int classes() {
            return 3;
        }
    }

    /** The same network through direct buffers, as ONNX Runtime's engine is. */
    private static final class DirectPointwise extends Pointwise {
        @Override
        public TileBuffers buffers(long[] shape) {
            int n = (int) (shape[0] * shape[1] * shape[2] * shape[3] * shape[4]);
            FloatBuffer in = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
            FloatBuffer out = ByteBuffer.allocateDirect(4 * 3 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
            return new TileBuffers() {
                @Override
                public FloatBuffer input() {
                    return in.clear();
                }

                @Override
                public FloatBuffer run() {
                    float[] x = new float[n];
                    in.get(0, x);
                    out.clear().put(DirectPointwise.this.run(x, shape));
                    return out.clear();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private static float[][] image() {
        float[] x = new float[VOLUME.voxelsInt()];
        Random r = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextGaussian());
        }
        return new float[][] {x};
    }

    @Test
    void everyVoxelGetsTheSoftmaxOfItsOwnLogitsWhereverTheTilesFall() {
        float[][] x = image();
        WindowedPrediction.Result r = WindowedPrediction.predict(new Pointwise(), x, VOLUME, WindowSettings.reference(TILE).withProbabilities(true), 1);
        assertEquals(3 * 1 * 5, r.tiles(), "ceil((13 - 8) / 4) + 1 = 3 positions, 6 padded to 8 -> 1, ceil((21 - 8) / 4) + 1 = 5");
        for (int i = 0; i < x[0].length; i++) {
            double v = x[0][i];
            double z = 1 + Math.exp(v) + Math.exp(-v);
            assertEquals(Math.exp(v) / z, r.probabilities()[1][i], 1e-5, "voxel " + i);
            assertEquals(1 / z, r.probabilities()[0][i], 1e-5, "voxel " + i);
            assertEquals(v > 0 ? 1 : v < 0 ? 2 : 0, r.labels()[i], "voxel " + i);
        }
    }

    @Test
    void mirroringBatchesThreadsAndDirectBuffersChangeNothingForAFlipEquivariantNetwork() {
        float[][] x = image();
        WindowSettings withProbabilities = WindowSettings.reference(TILE).withProbabilities(true);
        WindowedPrediction.Result plain = WindowedPrediction.predict(new Pointwise(), x, VOLUME, withProbabilities, 1);
        WindowedPrediction.Result other = WindowedPrediction.predict(new DirectPointwise(), x, VOLUME,
                withProbabilities.withMirroring(true).withBatch(3), 3);
        assertArrayEquals(plain.labels(), other.labels());
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(plain.probabilities()[k], other.probabilities()[k], 1e-6f, "class " + k);
        }
    }
}
