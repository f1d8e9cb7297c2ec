package org.e2enet.core.window;

/** A segmentation network seen from the sliding window: batches of tiles in, logits out. */
public interface TileNetwork {
    /** Logits (N, classes, D, H, W) of an input (N, C, D, H, W). */
    float[] run(float[] input, long[] shape);

    /** Output classes (background included). */
    int classes();

    /**
     * Reusable buffers for batches of input shape {@code shape} (N, C, D, H, W). The default runs
     * {@link #run(float[], long[])} on a heap array; an engine that reads and writes native memory itself
     * overrides it to spare the copies.
     */
    default TileBuffers buffers(long[] shape) {
        return new ArrayTileBuffers(this, shape);
    }
}
