package org.e2enet.core.window;

/** A segmentation network seen from the sliding window: batches of tiles in, logits out. */
public interface TileNetwork {
    /** Logits (N, classes, D, H, W) of an input (N, C, D, H, W). */
    float[] run(float[] input, long[] shape);

    /** Output classes (background included). */
    int classes();
}
