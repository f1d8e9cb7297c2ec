package org.e2enet.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpsTest {
    NDManager m;
    Random rnd = new Random(42);

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    static int idx(long[] s, int n, int c, int z, int y, int x) {
        return (int) ((((n * s[1] + c) * s[2] + z) * s[3] + y) * s[4] + x);
    }

    @ParameterizedTest(name = "S={0} C={1}")
    @CsvSource({"3,1", "3,4", "3,16", "3,48", "3,832", "5,1", "5,4", "5,16", "5,48", "5,832", "3,2", "5,3"})
    void depthShiftMatchesTheDefinition(int groups, int channels) {
        long[] s = {2, channels, 4, 3, 2};
        float[] x = random((int) (s[0] * s[1] * s[2] * s[3] * s[4]));
        float[] out = Ops.depthShift(m.create(x, new Shape(s)), groups).toFloatArray();
        int p = groups / 2;
        int q = (channels + groups - 1) / groups;
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < channels; c++) {
                int shift = c / q - p;
                for (int z = 0; z < s[2]; z++) {
                    for (int y = 0; y < s[3]; y++) {
                        for (int w = 0; w < s[4]; w++) {
                            int src = z - shift;
                            float expected = src >= 0 && src < s[2] ? x[idx(s, n, c, src, y, w)] : 0f;
                            assertEquals(expected, out[idx(s, n, c, z, y, w)], 0f, "c=" + c + " z=" + z);
                        }
                    }
                }
            }
        }
    }

    @Test
    void conv2dAndConv3dFormsAgreeWithAndWithoutStride() {
        NDArray x = m.create(random(2 * 5 * 4 * 8 * 6), new Shape(2, 5, 4, 8, 6));
        NDArray w = m.create(random(7 * 5 * 9), new Shape(7, 5, 1, 3, 3));
        NDArray b = m.create(random(7), new Shape(7));
        for (int[] stride : new int[][] {{1, 1, 1}, {2, 2, 2}, {1, 2, 2}}) {
            NDArray a = Ops.conv133As3d(x, w, b, stride);
            NDArray c = Ops.conv133As2d(x, w, b, stride);
            assertEquals(a.getShape(), c.getShape());
            assertArrayEquals(a.toFloatArray(), c.toFloatArray(), 1e-4f);
        }
    }

    @Test
    void transposedConvForwardAndGradientsMatchNaiveCode() {
        long[] xs = {2, 3, 2, 3, 2};
        int[] k = {2, 1, 2};
        int cout = 4;
        float[] xv = random(2 * 3 * 2 * 3 * 2);
        float[] wv = random(3 * cout * 4);
        NDArray x = m.create(xv, new Shape(xs));
        NDArray w = m.create(wv, new Shape(3, cout, k[0], k[1], k[2]));
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        long[] os = {2, cout, xs[2] * k[0], xs[3] * k[1], xs[4] * k[2]};
        float[] r = random((int) (os[0] * os[1] * os[2] * os[3] * os[4]));
        float[] out;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = Ops.transposedConv(x, w);
            assertEquals(new Shape(os), y.getShape());
            out = y.toFloatArray();
            gc.backward(y.mul(m.create(r, new Shape(os))).sum());
        }
        float[] naive = new float[out.length];
        float[] gx = new float[xv.length];
        float[] gw = new float[wv.length];
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 3; i++) {
                for (int z = 0; z < xs[2]; z++) {
                    for (int y = 0; y < xs[3]; y++) {
                        for (int xx = 0; xx < xs[4]; xx++) {
                            for (int o = 0; o < cout; o++) {
                                for (int a = 0; a < k[0]; a++) {
                                    for (int bb = 0; bb < k[1]; bb++) {
                                        for (int c = 0; c < k[2]; c++) {
                                            int wi = (((i * cout + o) * k[0] + a) * k[1] + bb) * k[2] + c;
                                            int oi = idx(os, n, o, z * k[0] + a, y * k[1] + bb, xx * k[2] + c);
                                            int xi = idx(xs, n, i, z, y, xx);
                                            naive[oi] += xv[xi] * wv[wi];
                                            gx[xi] += r[oi] * wv[wi];
                                            gw[wi] += r[oi] * xv[xi];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertArrayEquals(naive, out, 1e-4f);
        assertArrayEquals(gx, x.getGradient().toFloatArray(), 1e-4f);
        assertArrayEquals(gw, w.getGradient().toFloatArray(), 1e-4f);
    }

    @Test
    void instanceNormForwardAndGradientMatchNaiveCode() {
        long[] s = {2, 3, 2, 3, 4};
        int vox = 24;
        float[] xv = random(2 * 3 * vox);
        float[] gamma = {1.5f, -0.5f, 2f};
        float[] beta = {0.1f, 0.2f, -0.3f};
        NDArray x = m.create(xv, new Shape(s));
        NDArray g = m.create(gamma, new Shape(3));
        NDArray b = m.create(beta, new Shape(3));
        x.setRequiresGradient(true);
        g.setRequiresGradient(true);
        float[] r = random(xv.length);
        float[] out;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = Ops.instanceNorm(x, g, b, new DeviceConstants(m));
            out = y.toFloatArray();
            gc.backward(y.mul(m.create(r, new Shape(s))).sum());
        }
        float[] gx = x.getGradient().toFloatArray();
        float[] gg = g.getGradient().toFloatArray();
        double[] gGamma = new double[3];
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                int base = (n * 3 + c) * vox;
                double mean = 0;
                for (int i = 0; i < vox; i++) {
                    mean += xv[base + i];
                }
                mean /= vox;
                double var = 0;
                for (int i = 0; i < vox; i++) {
                    var += (xv[base + i] - mean) * (xv[base + i] - mean);
                }
                var /= vox;
                double inv = 1 / Math.sqrt(var + org.e2enet.core.spec.UnitBlock.NORM_EPSILON);
                double meanG = 0;
                double meanGx = 0;
                for (int i = 0; i < vox; i++) {
                    double xhat = (xv[base + i] - mean) * inv;
                    assertEquals(gamma[c] * xhat + beta[c], out[base + i], 1e-4);
                    meanG += r[base + i] * gamma[c] / vox;
                    meanGx += r[base + i] * gamma[c] * xhat / vox;
                    gGamma[c] += r[base + i] * xhat;
                }
                for (int i = 0; i < vox; i++) {
                    double xhat = (xv[base + i] - mean) * inv;
                    double expected = inv * (r[base + i] * gamma[c] - meanG - xhat * meanGx);
                    assertEquals(expected, gx[base + i], 1e-3);
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            assertEquals(gGamma[c], gg[c], 1e-3);
        }
    }
}
