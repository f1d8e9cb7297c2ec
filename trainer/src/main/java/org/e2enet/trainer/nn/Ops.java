package org.e2enet.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.pooling.Pool;
import org.e2enet.core.spec.DepthShift;
import org.e2enet.core.spec.UnitBlock;

/**
 * The tensor operations of E2ENet (docs/network.md#unit, #depth-shift) on DJL's PyTorch engine, on (N, C, D, H, W)
 * activations. Results of operations whose receiver is a parameter are moved to the activation's manager,
 * so parameters' managers never collect per-iteration temporaries.
 */
public final class Ops {
    private static final int[] LAST = {2};

    private Ops() {
    }

    /** {@code result} moved to {@code anchor}'s manager. */
    static NDArray local(NDArray result, NDArray anchor) {
        result.attach(anchor.getManager());
        return result;
    }

    /** Zero-filled depth shift along D, chunked as {@link DepthShift} says: out[:, c, z] = x[:, c, z - s]. */
    public static NDArray depthShift(NDArray x, int groups) {
        long[] s = x.getShape().getShape();
        long d = s[2];
        NDList chunks = new NDList();
        for (DepthShift.Chunk k : DepthShift.chunks(Math.toIntExact(s[1]), groups)) {
            long c0 = k.from();
            long c1 = k.to();
            long shift = k.shift();
            NDArray chunk = x.get(new NDIndex(":, {}:{}", c0, c1));
            if (shift == 0) {
                chunks.add(chunk);
            } else if (Math.abs(shift) >= d) {
                chunks.add(x.getManager().zeros(new Shape(s[0], c1 - c0, d, s[3], s[4]), x.getDataType()));
            } else {
                NDArray zeros = x.getManager().zeros(new Shape(s[0], c1 - c0, Math.abs(shift), s[3], s[4]), x.getDataType());
                chunks.add(shift > 0
                        ? zeros.concat(chunk.get(new NDIndex(":, :, 0:{}", d - shift)), 2)
                        : chunk.get(new NDIndex(":, :, {}:", -shift)).concat(zeros, 2));
            }
        }
        return chunks.size() == 1 ? chunks.get(0) : NDArrays.concat(chunks, 1);
    }

    /**
     * Channel counts the padded convolution rounds up to: oneDNN's AVX-512 kernels work on blocks of 16
     * channels, and on some CPUs (docs/engine-check.md) compute wrong values when a count is not a multiple.
     */
    public static final int CHANNEL_BLOCK = 16;

    /** A (1,3,3) convolution with padding (0,1,1) and the given stride, run as {@code mode} says. */
    public static NDArray conv133(NDArray x, NDArray weight, NDArray bias, int[] stride, ConvMode mode) {
        return switch (mode) {
            case CONV3D -> conv133As3d(x, weight, bias, stride);
            case CONV3D_PADDED -> conv133Padded(x, weight, bias, stride);
            case CONV2D -> conv133As2d(x, weight, bias, stride);
            case AUTO -> throw new IllegalArgumentException("ConvMode.AUTO is resolved by the engine check before a model runs");
        };
    }

    /**
     * The conv3d form with input and output channels zero-padded to a multiple of {@link #CHANNEL_BLOCK}: the
     * padded input channels meet zero weights and the padded outputs are dropped, so the result and every
     * gradient are the unpadded convolution's exactly; counts already on the block run unchanged.
     */
    public static NDArray conv133Padded(NDArray x, NDArray weight, NDArray bias, int[] stride) {
        long[] ws = weight.getShape().getShape();
        long out = ws[0];
        long in = ws[1];
        long padIn = roundUp(in);
        long padOut = roundUp(out);
        if (padIn == in && padOut == out) {
            return conv133As3d(x, weight, bias, stride);
        }
        long[] xs = x.getShape().getShape();
        NDManager m = x.getManager();
        NDArray xp = padIn > in ? x.concat(m.zeros(new Shape(xs[0], padIn - in, xs[2], xs[3], xs[4]), x.getDataType()), 1) : x;
        NDArray wp = weight;
        if (padOut > out) {
            wp = local(wp.concat(m.zeros(new Shape(padOut - out, in, ws[2], ws[3], ws[4]), x.getDataType()), 0), x);
        }
        if (padIn > in) {
            wp = local(wp.concat(m.zeros(new Shape(padOut, padIn - in, ws[2], ws[3], ws[4]), x.getDataType()), 1), x);
        }
        NDArray bp = padOut > out ? local(bias.concat(m.zeros(new Shape(padOut - out), x.getDataType()), 0), x) : bias;
        NDArray y = conv133As3d(xp, wp, bp, stride);
        return padOut > out ? y.get(new NDIndex(":, 0:{}", out)) : y;
    }

    private static long roundUp(long channels) {
        return (channels + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK;
    }

    /** A (1,3,3) convolution with padding (0,1,1) and the given stride, as conv3d. */
    public static NDArray conv133As3d(NDArray x, NDArray weight, NDArray bias, int[] stride) {
        return Conv3d.conv3d(x, weight, bias, new Shape(stride[0], stride[1], stride[2]), new Shape(0, 1, 1),
                new Shape(1, 1, 1), 1).singletonOrThrow();
    }

    /**
     * The same convolution as conv2d over (N*D, C, H, W): a (1,3,3) kernel never mixes depth slices, and a
     * depth stride only keeps every stride-th slice.
     */
    public static NDArray conv133As2d(NDArray x, NDArray weight, NDArray bias, int[] stride) {
        NDArray in = stride[0] > 1 ? x.get(new NDIndex(":, :, ::{}", stride[0])) : x;
        long[] s = in.getShape().getShape();
        long out = weight.getShape().get(0);
        NDArray planes = in.transpose(0, 2, 1, 3, 4).reshape(s[0] * s[2], s[1], s[3], s[4]);
        NDArray w2 = local(weight.reshape(out, s[1], 3, 3), x);
        NDArray y = Conv2d.conv2d(planes, w2, bias, new Shape(stride[1], stride[2]), new Shape(1, 1), new Shape(1, 1), 1)
                .singletonOrThrow();
        long[] ys = y.getShape().getShape();
        return y.reshape(s[0], s[2], out, ys[2], ys[3]).transpose(0, 2, 1, 3, 4);
    }

    /**
     * Transposed convolution with kernel = stride and no bias, weight (Cin, Cout, kd, kh, kw): every input voxel
     * writes its own kd x kh x kw block, so it is one matrix product and a reshape.
     */
    public static NDArray transposedConv(NDArray x, NDArray weight) {
        long[] s = x.getShape().getShape();
        long[] w = weight.getShape().getShape();
        NDArray rows = x.transpose(0, 2, 3, 4, 1).reshape(s[0] * s[2] * s[3] * s[4], s[1]);
        NDArray wm = local(weight.reshape(w[0], w[1] * w[2] * w[3] * w[4]), x);
        return rows.matMul(wm).reshape(s[0], s[2], s[3], s[4], w[1], w[2], w[3], w[4])
                .transpose(0, 4, 1, 5, 2, 6, 3, 7).reshape(s[0], w[1], s[2] * w[2], s[3] * w[3], s[4] * w[4]);
    }

    /**
     * Instance normalisation with affine gamma/beta; instance statistics at train and eval time.
     *
     * @param constants where the epsilon comes from, on x's device
     */
    public static NDArray instanceNorm(NDArray x, NDArray gamma, NDArray beta, DeviceConstants constants) {
        long[] s = x.getShape().getShape();
        long c = s[1];
        // PyTorch's engine reduces one axis at a time: flatten the spatial axes
        NDArray flat = x.reshape(s[0], c, -1);
        NDArray mean = flat.mean(LAST, true);
        NDArray centred = flat.sub(mean);
        NDArray var = centred.square().mean(LAST, true);
        NDArray normed = centred.div(var.add(constants.float32(UnitBlock.NORM_EPSILON)).sqrt()).reshape(x.getShape());
        return normed.mul(local(gamma.reshape(1, c, 1, 1, 1), x)).add(local(beta.reshape(1, c, 1, 1, 1), x));
    }

    /** LeakyReLU with slope 0.01. */
    public static NDArray leakyRelu(NDArray x) {
        return Activation.leakyRelu(x, UnitBlock.LEAKY_RELU_SLOPE);
    }

    /** Max pooling with kernel = stride. */
    public static NDArray maxPool(NDArray x, int[] kernel) {
        Shape k = new Shape(kernel[0], kernel[1], kernel[2]);
        return Pool.maxPool3d(x, k, k, new Shape(0, 0, 0), false);
    }

    /** 1x1x1 convolution without bias, weight (Cout, Cin, 1, 1, 1). */
    public static NDArray head(NDArray x, NDArray weight) {
        return Conv3d.conv3d(x, weight).singletonOrThrow();
    }
}
