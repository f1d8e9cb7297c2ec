package org.e2enet.runtime.engine;

import org.e2enet.core.window.TileBuffers;

/** Runs the exported network on a batch of tiles: one implementation per inference library. */
public interface TileEngine extends AutoCloseable {
    /** Head-0 logits (N, classes, D, H, W) of an input (N, C, D, H, W). */
    float[] run(float[] input, long[] shape);

    /**
     * Reusable buffers for inputs of {@code shape} (N, C, D, H, W) and outputs of {@code classes} channels, or
     * null when the engine has nothing better than {@link #run(float[], long[])} on heap arrays.
     */
    default TileBuffers buffers(long[] shape, int classes) {
        return null;
    }

    /** Releases native resources; closing twice is harmless. */
    @Override
    void close();
}
