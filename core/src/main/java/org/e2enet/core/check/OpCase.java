package org.e2enet.core.check;

import java.util.Arrays;
import java.util.Locale;

/**
 * One tensor operation of the network at one shape, as an engine check runs it on a small spatial size: the
 * channel counts, kernel and stride are the network's, the spatial size chosen by cost (see {@link #outExtent()}).
 *
 * @param kind the operation
 * @param inChannels channels read
 * @param outChannels channels written (equal to {@code inChannels} for the channel-wise operations)
 * @param kernel kernel (d, h, w); pooling and transposed-conv kernels equal their stride
 * @param stride stride (d, h, w)
 * @param padding zero padding (d, h, w) of a convolution
 * @param groups the depth shift's channel groups (0 for the other operations)
 */
public record OpCase(OpKind kind, int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int groups) {
    /** Batch size of every check input: training runs batches of 2 and some kernels split on the batch. */
    public static final int BATCH = 2;
    /** Output depth of every case. */
    private static final int OUT_DEPTH = 4;
    /**
     * Multiply-adds a case's forward may cost: the plane grows to {@link #MAX_PLANE} for narrow layers, where the
     * engine defects showed most often (7 wrong shapes of the tests' network at 16x16, 3 at 3x3), and shrinks
     * to {@link #MIN_PLANE} for the paper's widest, keeping the float64 reference within a few seconds in all.
     */
    private static final long MAC_BUDGET = 1L << 22;
    private static final int MIN_PLANE = 3;
    private static final int MAX_PLANE = 16;
    private static final int[] ONE = {1, 1, 1};
    private static final int[] ZERO = {0, 0, 0};

    /** A convolution with bias, the Unit's (1,3,3) one or any other. */
    public static OpCase conv(int in, int out, int[] kernel, int[] stride, int[] padding) {
        return new OpCase(OpKind.CONV, in, out, kernel.clone(), stride.clone(), padding.clone(), 0);
    }

    /** A 1x1x1 convolution without bias (a segmentation head). */
    public static OpCase head(int in, int classes) {
        return new OpCase(OpKind.HEAD, in, classes, ONE, ONE, ZERO, 0);
    }

    /** A transposed convolution without bias whose kernel equals its stride. */
    public static OpCase transposedConv(int in, int out, int[] stride) {
        return new OpCase(OpKind.TRANSPOSED_CONV, in, out, stride.clone(), stride.clone(), ZERO, 0);
    }

    /** Max pooling whose kernel equals its stride. */
    public static OpCase maxPool(int channels, int[] stride) {
        return new OpCase(OpKind.MAX_POOL, channels, channels, stride.clone(), stride.clone(), ZERO, 0);
    }

    /** Instance normalisation with affine scale and shift. */
    public static OpCase instanceNorm(int channels) {
        return new OpCase(OpKind.INSTANCE_NORM, channels, channels, ONE, ONE, ZERO, 0);
    }

    /** LeakyReLU. */
    public static OpCase leakyRelu(int channels) {
        return new OpCase(OpKind.LEAKY_RELU, channels, channels, ONE, ONE, ZERO, 0);
    }

    /** The restricted depth shift over {@code groups} channel groups. */
    public static OpCase depthShift(int channels, int groups) {
        return new OpCase(OpKind.DEPTH_SHIFT, channels, channels, ONE, ONE, ZERO, groups);
    }

    /**
     * Output positions per axis: depth {@value #OUT_DEPTH} (at least the shift's groups), a square plane as large as
     * {@link #MAC_BUDGET} allows between {@value #MIN_PLANE} (every tap still meets the zero border) and {@value #MAX_PLANE}.
     */
    private int[] outExtent() {
        long perPosition = (long) BATCH * OUT_DEPTH * inChannels * outChannels * kernel[0] * kernel[1] * kernel[2];
        int plane = (int) Math.max(MIN_PLANE, Math.min(MAX_PLANE, Math.sqrt((double) MAC_BUDGET / perPosition)));
        return new int[] {Math.max(OUT_DEPTH, groups), plane, plane};
    }

    /** The input's shape (N, C, D, H, W): as large as the op needs to produce {@link #outExtent()} outputs per axis. */
    public int[] inputShape() {
        int[] out = outExtent();
        int[] s = {BATCH, inChannels, 0, 0, 0};
        for (int a = 0; a < 3; a++) {
            s[2 + a] = switch (kind) {
                case CONV, HEAD -> convInput(out[a], a);
                case MAX_POOL -> out[a] * stride[a];
                default -> out[a];
            };
            s[2 + a] = Math.max(s[2 + a], 1);
        }
        return s;
    }

    /**
     * The input extent that gives {@code out} outputs along axis {@code a}: {@code out * stride} where that works,
     * the geometry the network runs (even inputs to its strided convs, whose last row meets the zero border on
     * one side only), else the smallest input that does.
     */
    private int convInput(int out, int a) {
        int even = out * stride[a];
        return (even + 2 * padding[a] - kernel[a]) / stride[a] + 1 == out ? even : (out - 1) * stride[a] + kernel[a] - 2 * padding[a];
    }

    /** The output's shape (N, C, D, H, W). */
    public int[] outputShape() {
        int[] x = inputShape();
        int[] s = {BATCH, outChannels, x[2], x[3], x[4]};
        for (int a = 0; a < 3; a++) {
            s[2 + a] = switch (kind) {
                case CONV, HEAD -> (x[2 + a] + 2 * padding[a] - kernel[a]) / stride[a] + 1;
                case MAX_POOL -> x[2 + a] / stride[a];
                case TRANSPOSED_CONV -> x[2 + a] * stride[a];
                default -> x[2 + a];
            };
        }
        return s;
    }

    /** The weight's shape: (out, in, k) for convs, (in, out, k) for the transposed conv, (C) for the norm's scale, else empty. */
    public int[] weightShape() {
        return switch (kind) {
            case CONV, HEAD -> new int[] {outChannels, inChannels, kernel[0], kernel[1], kernel[2]};
            case TRANSPOSED_CONV -> new int[] {inChannels, outChannels, kernel[0], kernel[1], kernel[2]};
            case INSTANCE_NORM -> new int[] {inChannels};
            default -> new int[0];
        };
    }

    /** Whether the op adds a per-channel bias (the conv's, the norm's shift). */
    public boolean hasBias() {
        return kind == OpKind.CONV || kind == OpKind.INSTANCE_NORM;
    }

    /** A short name such as {@code conv 24->8 k1x3x3 s1x2x2}. */
    public String label() {
        String k = dims(kernel);
        String s = dims(stride);
        return switch (kind) {
            case CONV -> String.format(Locale.ROOT, "conv %d->%d k%s s%s", inChannels, outChannels, k, s);
            case HEAD -> String.format(Locale.ROOT, "head %d->%d k1x1x1", inChannels, outChannels);
            case TRANSPOSED_CONV -> String.format(Locale.ROOT, "transposed conv %d->%d k%s", inChannels, outChannels, k);
            case MAX_POOL -> String.format(Locale.ROOT, "max pool %d k%s", inChannels, k);
            case INSTANCE_NORM -> String.format(Locale.ROOT, "instance norm %d", inChannels);
            case LEAKY_RELU -> String.format(Locale.ROOT, "leaky relu %d", inChannels);
            case DEPTH_SHIFT -> String.format(Locale.ROOT, "depth shift %d in %d groups", inChannels, groups);
        };
    }

    private static String dims(int[] v) {
        return v[0] + "x" + v[1] + "x" + v[2];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpCase c && c.label().equals(label()) && Arrays.equals(c.padding, padding);
    }

    @Override
    public int hashCode() {
        return label().hashCode() * 31 + Arrays.hashCode(padding);
    }

    @Override
    public String toString() {
        return label();
    }
}
