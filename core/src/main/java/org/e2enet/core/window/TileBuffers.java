package org.e2enet.core.window;

import java.nio.FloatBuffer;

/**
 * The input and output of one batch shape of a {@link TileNetwork}, kept for reuse from batch to batch: the
 * sliding window writes the tiles straight into {@link #input()} and reads the logits straight out of what
 * {@link #run()} returns, so a tile crosses the engine boundary without further copies when the engine can
 * read and write these buffers itself (ONNX Runtime's direct buffers and pinned outputs).
 */
public interface TileBuffers extends AutoCloseable {
    /** The input (N, C, D, H, W) to fill from index 0; the same buffer on every call. */
    FloatBuffer input();

    /** Runs the network on {@link #input()}: head-0 logits (N, classes, D, H, W), valid until the next run. */
    FloatBuffer run();

    /** Releases native buffers; closing twice is harmless. */
    @Override
    void close();
}
