package org.e2enet.core.window;

import java.nio.FloatBuffer;

/** Tile buffers over a network that takes and returns Java arrays (the training model, TensorRT). */
final class ArrayTileBuffers implements TileBuffers {
    private final TileNetwork network;
    private final long[] shape;
    private final float[] input;

    ArrayTileBuffers(TileNetwork network, long[] shape) {
        this.network = network;
        this.shape = shape.clone();
        this.input = new float[Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact))];
    }

    @Override
    public FloatBuffer input() {
        return FloatBuffer.wrap(input);
    }

    @Override
    public FloatBuffer run() {
        return FloatBuffer.wrap(network.run(input, shape));
    }

    @Override
    public void close() {
        // heap arrays only
    }
}
