package org.e2enet.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.e2enet.core.window.TileNetwork;

/** The training model in eval mode as the sliding window sees it (head 0, one temporary NDManager per call). */
public final class WindowNetwork implements TileNetwork {
    private final E2ENetModel model;
    private final NDManager base;

    /**
     * @param model the model
     * @param base the manager the per-call managers hang from
     */
    public WindowNetwork(E2ENetModel model, NDManager base) {
        this.model = model;
        this.base = base;
    }

    @Override
    public float[] run(float[] input, long[] shape) {
        try (NDManager m = base.newSubManager()) {
            NDArray x = m.create(input, new Shape(shape));
            return model.forwardHead0(x).toFloatArray();
        }
    }

    @Override
    public int classes() {
        return model.spec().numClasses();
    }
}
