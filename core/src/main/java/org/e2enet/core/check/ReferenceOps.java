package org.e2enet.core.check;

import org.e2enet.core.spec.DepthShift;
import org.e2enet.core.spec.UnitBlock;

/**
 * The network's tensor operations in float64 plain Java, forward and backward, written from their
 * definitions (docs/engine-check.md) and independent of every engine: the reference an engine check holds
 * an engine to. Arrays are (N, C, D, H, W) in row-major order; shapes are given as int[5].
 */
public final class ReferenceOps {
    private static final int FORWARD = 0;
    private static final int INPUT_GRAD = 1;
    private static final int WEIGHT_GRAD = 2;

    private ReferenceOps() {
    }

    /** Number of elements of a shape. */
    public static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Convolution: y = conv(x, w) + b (b may be null); x shape {@code xs}, w (Co, Ci, kd, kh, kw), output shape {@code ys}. */
    public static double[] conv(double[] x, int[] xs, double[] w, int[] ws, double[] b, int[] ys, int[] stride, int[] pad) {
        double[] y = new double[size(ys)];
        convTaps(FORWARD, x, xs, w, ws, y, ys, stride, pad);
        if (b != null) {
            int vox = ys[2] * ys[3] * ys[4];
            for (int i = 0; i < y.length; i++) {
                y[i] += b[(i / vox) % ys[1]];
            }
        }
        return y;
    }

    /** The convolution's gradient with respect to x, given the output gradient g. */
    public static double[] convInputGrad(double[] g, int[] ys, double[] w, int[] ws, int[] xs, int[] stride, int[] pad) {
        double[] dx = new double[size(xs)];
        convTaps(INPUT_GRAD, dx, xs, w, ws, g, ys, stride, pad);
        return dx;
    }

    /** The convolution's gradient with respect to w, given the output gradient g. */
    public static double[] convWeightGrad(double[] g, int[] ys, double[] x, int[] xs, int[] ws, int[] stride, int[] pad) {
        double[] dw = new double[size(ws)];
        convTaps(WEIGHT_GRAD, x, xs, dw, ws, g, ys, stride, pad);
        return dw;
    }

    /** Every (output, input, weight) tap of a convolution, accumulated in the direction {@code mode} asks for. */
    private static void convTaps(int mode, double[] x, int[] xs, double[] w, int[] ws, double[] y, int[] ys, int[] stride, int[] pad) {
        int ci = xs[1];
        int co = ys[1];
        for (int n = 0; n < ys[0]; n++) {
            for (int o = 0; o < co; o++) {
                for (int z = 0; z < ys[2]; z++) {
                    for (int r = 0; r < ys[3]; r++) {
                        for (int c = 0; c < ys[4]; c++) {
                            int yi = (((n * co + o) * ys[2] + z) * ys[3] + r) * ys[4] + c;
                            double acc = 0;
                            for (int i = 0; i < ci; i++) {
                                for (int a = 0; a < ws[2]; a++) {
                                    int iz = z * stride[0] - pad[0] + a;
                                    if (iz < 0 || iz >= xs[2]) {
                                        continue;
                                    }
                                    for (int bb = 0; bb < ws[3]; bb++) {
                                        int ir = r * stride[1] - pad[1] + bb;
                                        if (ir < 0 || ir >= xs[3]) {
                                            continue;
                                        }
                                        for (int k = 0; k < ws[4]; k++) {
                                            int ic = c * stride[2] - pad[2] + k;
                                            if (ic < 0 || ic >= xs[4]) {
                                                continue;
                                            }
                                            int xi = (((n * ci + i) * xs[2] + iz) * xs[3] + ir) * xs[4] + ic;
                                            int wi = (((o * ci + i) * ws[2] + a) * ws[3] + bb) * ws[4] + k;
                                            switch (mode) {
                                                case FORWARD -> acc += x[xi] * w[wi];
                                                case INPUT_GRAD -> x[xi] += y[yi] * w[wi];
                                                default -> w[wi] += y[yi] * x[xi];
                                            }
                                        }
                                    }
                                }
                            }
                            if (mode == FORWARD) {
                                y[yi] = acc;
                            }
                        }
                    }
                }
            }
        }
    }

    /** Transposed convolution, kernel = stride, no bias: w (Ci, Co, kd, kh, kw); each input voxel writes its own block. */
    public static double[] transposedConv(double[] x, int[] xs, double[] w, int[] ws) {
        double[] y = new double[size(transposedShape(xs, ws))];
        transposedTaps(FORWARD, x, xs, w, ws, y);
        return y;
    }

    /** The transposed convolution's gradient with respect to x. */
    public static double[] transposedConvInputGrad(double[] g, double[] w, int[] ws, int[] xs) {
        double[] dx = new double[size(xs)];
        transposedTaps(INPUT_GRAD, dx, xs, w, ws, g);
        return dx;
    }

    /** The transposed convolution's gradient with respect to w. */
    public static double[] transposedConvWeightGrad(double[] g, double[] x, int[] xs, int[] ws) {
        double[] dw = new double[size(ws)];
        transposedTaps(WEIGHT_GRAD, x, xs, dw, ws, g);
        return dw;
    }

    private static int[] transposedShape(int[] xs, int[] ws) {
        return new int[] {xs[0], ws[1], xs[2] * ws[2], xs[3] * ws[3], xs[4] * ws[4]};
    }

    private static void transposedTaps(int mode, double[] x, int[] xs, double[] w, int[] ws, double[] y) {
        int[] ys = transposedShape(xs, ws);
        int ci = xs[1];
        int co = ws[1];
        for (int n = 0; n < xs[0]; n++) {
            for (int i = 0; i < ci; i++) {
                for (int z = 0; z < xs[2]; z++) {
                    for (int r = 0; r < xs[3]; r++) {
                        for (int c = 0; c < xs[4]; c++) {
                            int xi = (((n * ci + i) * xs[2] + z) * xs[3] + r) * xs[4] + c;
                            for (int o = 0; o < co; o++) {
                                for (int a = 0; a < ws[2]; a++) {
                                    for (int bb = 0; bb < ws[3]; bb++) {
                                        for (int k = 0; k < ws[4]; k++) {
                                            int yi = (((n * co + o) * ys[2] + z * ws[2] + a) * ys[3] + r * ws[3] + bb) * ys[4] + c * ws[4] + k;
                                            int wi = (((i * co + o) * ws[2] + a) * ws[3] + bb) * ws[4] + k;
                                            switch (mode) {
                                                case FORWARD -> y[yi] += x[xi] * w[wi];
                                                case INPUT_GRAD -> x[xi] += y[yi] * w[wi];
                                                default -> w[wi] += y[yi] * x[xi];
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Index in x of the maximum of each pooling window (the first on ties), kernel = stride, no padding. */
    public static int[] maxPoolArgMax(double[] x, int[] xs, int[] k) {
        int[] ys = {xs[0], xs[1], xs[2] / k[0], xs[3] / k[1], xs[4] / k[2]};
        int[] arg = new int[size(ys)];
        int yi = 0;
        for (int nc = 0; nc < xs[0] * xs[1]; nc++) {
            for (int z = 0; z < ys[2]; z++) {
                for (int r = 0; r < ys[3]; r++) {
                    for (int c = 0; c < ys[4]; c++) {
                        int best = -1;
                        for (int a = 0; a < k[0]; a++) {
                            for (int bb = 0; bb < k[1]; bb++) {
                                for (int kk = 0; kk < k[2]; kk++) {
                                    int xi = ((nc * xs[2] + z * k[0] + a) * xs[3] + r * k[1] + bb) * xs[4] + c * k[2] + kk;
                                    if (best < 0 || x[xi] > x[best]) {
                                        best = xi;
                                    }
                                }
                            }
                        }
                        arg[yi++] = best;
                    }
                }
            }
        }
        return arg;
    }

    /** Instance normalisation y = gamma * (x - mean) / sqrt(var + eps) + beta per (n, c), biased variance. */
    public static double[] instanceNorm(double[] x, int[] xs, double[] gamma, double[] beta) {
        double[] y = new double[x.length];
        int vox = xs[2] * xs[3] * xs[4];
        for (int nc = 0; nc < xs[0] * xs[1]; nc++) {
            double[] stats = moments(x, nc * vox, vox);
            int c = nc % xs[1];
            for (int v = 0; v < vox; v++) {
                int i = nc * vox + v;
                y[i] = gamma[c] * (x[i] - stats[0]) / stats[1] + beta[c];
            }
        }
        return y;
    }

    /**
     * Instance normalisation's gradients given the output gradient g: {dx, dgamma, dbeta}, from
     * dx = (gamma / s) (g - mean(g) - xhat mean(g xhat)) with s = sqrt(var + eps).
     */
    public static double[][] instanceNormGrads(double[] g, double[] x, int[] xs, double[] gamma) {
        double[] dx = new double[x.length];
        double[] dgamma = new double[xs[1]];
        double[] dbeta = new double[xs[1]];
        int vox = xs[2] * xs[3] * xs[4];
        for (int nc = 0; nc < xs[0] * xs[1]; nc++) {
            double[] stats = moments(x, nc * vox, vox);
            int c = nc % xs[1];
            double meanG = 0;
            double meanGx = 0;
            for (int v = 0; v < vox; v++) {
                int i = nc * vox + v;
                double xhat = (x[i] - stats[0]) / stats[1];
                meanG += g[i] / vox;
                meanGx += g[i] * xhat / vox;
                dgamma[c] += g[i] * xhat;
                dbeta[c] += g[i];
            }
            for (int v = 0; v < vox; v++) {
                int i = nc * vox + v;
                double xhat = (x[i] - stats[0]) / stats[1];
                dx[i] = gamma[c] / stats[1] * (g[i] - meanG - xhat * meanGx);
            }
        }
        return new double[][] {dx, dgamma, dbeta};
    }

    /** {mean, sqrt(biased variance + eps)} of x[from, from + n). */
    private static double[] moments(double[] x, int from, int n) {
        double mean = 0;
        for (int i = from; i < from + n; i++) {
            mean += x[i];
        }
        mean /= n;
        double var = 0;
        for (int i = from; i < from + n; i++) {
            var += (x[i] - mean) * (x[i] - mean);
        }
        return new double[] {mean, Math.sqrt(var / n + UnitBlock.NORM_EPSILON)};
    }

    /** LeakyReLU's derivative at x: 1 above zero, the slope below. */
    public static double leakySlope(double x) {
        return x > 0 ? 1 : UnitBlock.LEAKY_RELU_SLOPE;
    }

    /** The depth shift's ({@link DepthShift}) source depth for output depth z of channel c; -1 where the output is zero-filled. */
    public static int shiftSource(int c, int channels, int groups, int z, int depth) {
        int src = z - DepthShift.shiftOf(c, channels, groups);
        return src < 0 || src >= depth ? -1 : src;
    }
}
