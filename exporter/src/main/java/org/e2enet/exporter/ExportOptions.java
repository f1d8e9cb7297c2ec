package org.e2enet.exporter;

import org.e2enet.core.onnx.LoweringPolicy;
import org.e2enet.core.onnx.Spatial;

/**
 * How to export.
 *
 * @param lowering how masked layers are lowered
 * @param spatial whether the input's D, H, W are fixed to the patch size or symbolic
 */
public record ExportOptions(LoweringPolicy lowering, Spatial spatial) {
    /** Masked layers pruned by the cost model, input fixed to the patch size: what {@code e2enet export} does by default. */
    public static final ExportOptions PRUNED = new ExportOptions(LoweringPolicy.AUTO, Spatial.FIXED);
    /** Every layer dense (inactive kernels as zeros), input fixed to the patch size: the reference to compare against. */
    public static final ExportOptions DENSE = new ExportOptions(LoweringPolicy.DENSE, Spatial.FIXED);

    /** Validates. */
    public ExportOptions {
        if (lowering == null || spatial == null) {
            throw new IllegalArgumentException("lowering and spatial must be given");
        }
    }

    /** Whether masked layers are pruned. */
    public boolean pruned() {
        return lowering == LoweringPolicy.AUTO;
    }

    /** Whether D, H, W are symbolic. */
    public boolean dynamicSpatial() {
        return spatial == Spatial.DYNAMIC;
    }

    /** The same options with another spatial mode. */
    public ExportOptions with(Spatial newSpatial) {
        return new ExportOptions(lowering, newSpatial);
    }
}
