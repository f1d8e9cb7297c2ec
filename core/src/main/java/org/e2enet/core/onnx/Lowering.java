package org.e2enet.core.onnx;

import java.util.Locale;

/** How the exporter lowered one weight layer. */
public enum Lowering {
    /** the full convolution; inactive kernels are zeros. */
    DENSE,
    /** Gather the input channels any active kernel uses, then a dense convolution on them. */
    GATHER,
    /** Gather each output group's input channels, then one grouped convolution. */
    GROUPED,
    /** Not in the graph: nothing downstream reads any of its outputs (a transposed conv whose fusion conv reads none). */
    NOT_COMPUTED;

    /**
     * The name the export report keys the cost model's estimates by, and reasons and listings use.
     *
     * @return e.g. {@code gather}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
