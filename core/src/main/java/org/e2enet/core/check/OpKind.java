package org.e2enet.core.check;

/** The tensor operations E2ENet is built from (docs/engine-check.md). */
public enum OpKind {
    /** Convolution with bias (the Unit's (1,3,3) conv). */
    CONV,
    /** 1x1x1 convolution without bias (a deep-supervision head). */
    HEAD,
    /** Transposed convolution without bias, kernel = stride (a fusion node's upsampling). */
    TRANSPOSED_CONV,
    /** Max pooling, kernel = stride (a fusion node's downsampling). */
    MAX_POOL,
    /** Instance normalisation with affine scale and shift. */
    INSTANCE_NORM,
    /** LeakyReLU, slope 0.01. */
    LEAKY_RELU,
    /** The restricted depth shift (channel groups shifted along depth, zero-filled). */
    DEPTH_SHIFT
}
