package org.e2enet.core.spec;

/**
 * The constants of E2ENet's Unit (docs/network.md#unit): {@code LeakyReLU(InstanceNorm(Conv(1,3,3)(DepthShift(x))))}
 * with padding (0,1,1). The training model and the exporter both read them from here.
 */
public final class UnitBlock {
    /** Instance-norm epsilon. */
    public static final float NORM_EPSILON = 1e-5f;
    /** LeakyReLU negative slope. */
    public static final float LEAKY_RELU_SLOPE = 0.01f;

    private UnitBlock() {
    }

    /** The Unit conv's kernel (d, h, w). */
    public static int[] kernel() {
        return new int[] {1, 3, 3};
    }

    /** The Unit conv's padding (d, h, w), the same at both ends of each axis. */
    public static int[] padding() {
        return new int[] {0, 1, 1};
    }
}
