package org.e2enet.exporter;

import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.LayerKind;
import org.e2enet.core.spec.ModelSpec;

/** Where a layer's kernels are applied for a patch-sized input: what both the cost model's estimates and the report's FLOPs scale with. */
final class LayerPositions {
    private LayerPositions() {
    }

    /** Voxels at which the layer's kernels are applied (a transposed conv's at its input resolution). */
    static double positions(ModelSpec spec, Layer l) {
        return voxels(spec, l.kind() == LayerKind.TCONV ? l.inputLevel() : l.level());
    }

    /** Voxels of the layer's input. */
    static double inputVoxels(ModelSpec spec, Layer l) {
        return voxels(spec, l.inputLevel());
    }

    private static double voxels(ModelSpec spec, int level) {
        int[] s = spec.levelShape(level);
        return (double) s[0] * s[1] * s[2];
    }
}
