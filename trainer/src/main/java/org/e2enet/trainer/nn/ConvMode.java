package org.e2enet.trainer.nn;

/**
 * How the (1,3,3) convolutions run: every concrete mode computes the same function; which is right and
 * fastest depends on the engine and the CPU. {@link #AUTO} lets the training-engine check choose
 * (docs/engine-check.md).
 *
 * <p>Measured on the project's earlier 2-core CPU machine (PyTorch 2.3.1, training iterations, batch 2, one
 * run): {@code tiny} (32^3) conv3d 315 ms vs conv2d 322 ms per iteration; {@code small} (64^3) conv3d 9.76 s vs
 * conv2d 11.81 s. The conv2d form's transposes and copies cost more than they save.
 */
public enum ConvMode {
    /** The first concrete mode, in {@link #candidates()} order, that passes the engine check on this machine. */
    AUTO,
    /** libtorch's conv3d with a (1,3,3) kernel, channel counts as they are. */
    CONV3D,
    /** conv3d with input and output channels zero-padded to a multiple of {@link Ops#CHANNEL_BLOCK} (exact). */
    CONV3D_PADDED,
    /** conv2d over (N*D, C, H, W). */
    CONV2D;

    /** The concrete modes {@link #AUTO} tries, fastest first where each is right. */
    public static java.util.List<ConvMode> candidates() {
        return java.util.List.of(CONV3D, CONV3D_PADDED);
    }

    /** The name the command line takes and reports print ({@code conv3d-padded}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
