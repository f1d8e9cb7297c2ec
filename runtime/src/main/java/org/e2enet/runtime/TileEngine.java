package org.e2enet.runtime;

/** Runs the exported network on a batch of tiles: one implementation per inference library. */
interface TileEngine extends AutoCloseable {
    /** Head-0 logits (N, classes, D, H, W) of an input (N, C, D, H, W). */
    float[] run(float[] input, long[] shape);

    /** Releases native resources; closing twice is harmless. */
    @Override
    void close();
}
