package org.e2enet.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Scalar constants on one device, each value created once and reused. DJL's {@code mul(Number)}, {@code add(Number)}
 * and the like create a new scalar from the host on every call, a transfer on a GPU; the training path multiplies by
 * these arrays instead. Values are kept per data type and value (bit for bit), so a value that changes per epoch, the
 * learning rate, adds one scalar per epoch. The constants live in their own manager, closed with this object or with
 * its parent. Arrays computed with a constant as the receiver land in the constants' manager: make the per-iteration
 * array the receiver, or attach the result elsewhere.
 */
public final class DeviceConstants implements AutoCloseable {
    private final NDManager manager;
    private final Map<Float, NDArray> float32 = new HashMap<>();
    private final Map<Double, NDArray> float64 = new HashMap<>();

    /** @param parent the manager whose device the constants live on, and under which they are kept */
    public DeviceConstants(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    /** The float32 scalar {@code value}, created on first use. */
    public NDArray float32(float value) {
        return float32.computeIfAbsent(value, v -> manager.create(v.floatValue()));
    }

    /** The float64 scalar {@code value}, created on first use. */
    public NDArray float64(double value) {
        return float64.computeIfAbsent(value, v -> manager.create(v.doubleValue()));
    }

    /** How many scalars have been created so far, each one transfer from the host. */
    public int created() {
        return float32.size() + float64.size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
