package org.e2enet.core.spec;

/**
 * One weight layer of the network, as docs/network.md#parameter-names names it.
 *
 * @param prefix the tensor-name prefix: {@code conv_blocks_context.0.blocks.0}, {@code loc4.0.0.blocks.0},
 *     {@code up4.0}, {@code seg_outputs.0}
 * @param kind what the layer is
 * @param level resolution level of the layer's output (0 = full resolution)
 * @param inputLevel resolution level of the layer's input
 * @param nodeI fusion/encoder node row i (the level of x_{i,j}); for heads the head index h
 * @param nodeJ fusion node column j (0 for encoder, -1 for heads)
 * @param inChannels input channels
 * @param outChannels output channels
 * @param kernel kernel (d, h, w)
 * @param stride stride (d, h, w)
 */
public record Layer(String prefix, LayerKind kind, int level, int inputLevel, int nodeI, int nodeJ,
                    int inChannels, int outChannels, int[] kernel, int[] stride) {

    /** Whether DSFF masks this layer. */
    public boolean masked() {
        return kind == LayerKind.FUSION_CONV || kind == LayerKind.TCONV;
    }

    /** Whether this is a Unit (conv + bias + instance norm + LeakyReLU). */
    public boolean isUnit() {
        return kind == LayerKind.ENCODER_CONV || kind == LayerKind.FUSION_CONV;
    }

    /** The weight tensor's name. */
    public String weightName() {
        return isUnit() ? prefix + ".conv.weight" : prefix + ".weight";
    }

    /** The conv bias name (Units only). */
    public String biasName() {
        return prefix + ".conv.bias";
    }

    /** The instance-norm gamma name (Units only). */
    public String normWeightName() {
        return prefix + ".instnorm.weight";
    }

    /** The instance-norm beta name (Units only). */
    public String normBiasName() {
        return prefix + ".instnorm.bias";
    }

    /** Weight shape: (out, in, kd, kh, kw) for convs and heads, (in, out, kd, kh, kw) for transposed convs. */
    public long[] weightShape() {
        long a = kind == LayerKind.TCONV ? inChannels : outChannels;
        long b = kind == LayerKind.TCONV ? outChannels : inChannels;
        return new long[] {a, b, kernel[0], kernel[1], kernel[2]};
    }

    /** (dim0, dim1) of the weight: the mask's shape. */
    public long[] maskShape() {
        long[] w = weightShape();
        return new long[] {w[0], w[1]};
    }

    /** dim0 * dim1: the number of kernels. */
    public long kernels() {
        return (long) inChannels * outChannels;
    }

    /** kd * kh * kw. */
    public int kernelVolume() {
        return kernel[0] * kernel[1] * kernel[2];
    }

    /** The suffix that names a weight's mask tensor in a bundle ({@code {weight}.mask}, docs/architecture.md#model-bundle). */
    public static final String MASK_SUFFIX = ".mask";

    /** The mask tensor's name. */
    public String maskName() {
        return maskNameOf(weightName());
    }

    /**
     * @param weight a weight tensor's name
     * @return the name of its mask tensor
     */
    public static String maskNameOf(String weight) {
        return weight + MASK_SUFFIX;
    }

    /**
     * @param mask a mask tensor's name
     * @return the weight it masks, or empty when the name does not end in {@link #MASK_SUFFIX}
     */
    public static java.util.Optional<String> weightOfMask(String mask) {
        return mask.endsWith(MASK_SUFFIX) ? java.util.Optional.of(mask.substring(0, mask.length() - MASK_SUFFIX.length()))
                : java.util.Optional.empty();
    }

    @Override
    public int[] kernel() {
        return kernel.clone();
    }

    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layer l && prefix.equals(l.prefix);
    }

    @Override
    public int hashCode() {
        return prefix.hashCode();
    }
}
