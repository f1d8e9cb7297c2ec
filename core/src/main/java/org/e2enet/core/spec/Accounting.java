package org.e2enet.core.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Parameters and FLOPs of an E2ENet, reproducing the paper's conventions (docs/network.md#accounting):
 * <ul>
 *   <li>params (Eq. 4): every non-masked parameter plus active kernels x kernel volume of masked tensors;</li>
 *   <li>paper FLOPs (Eq. 5): sum of 2 * kvol * rho * Cin * Cout * output voxels over encoder convs, fusion
 *       convs, transposed convs (full kernel volume at their output resolution) and heads, plus Cout * output
 *       voxels for every fusion conv;</li>
 *   <li>true FLOPs: 2 x the multiply-adds that run (transposed convs at input resolution).</li>
 * </ul>
 * FLOPs are for one patch of the spec's patch size.
 *
 * @param granularity the spec's granularity
 * @param density 1 - sparsity
 * @param params Eq. 4 parameters
 * @param paperFlops Eq. 5 FLOPs
 * @param trueFlops executed FLOPs of the masked model
 * @param denseParams parameters with every kernel active
 * @param densePaperFlops Eq. 5 FLOPs with every kernel active
 * @param denseTrueFlops executed FLOPs with every kernel active
 * @param layers per-layer figures in evaluation order
 */
public record Accounting(String granularity, double density, long params, long paperFlops, long trueFlops,
                         long denseParams, long densePaperFlops, long denseTrueFlops, List<LayerCost> layers) {

    /** As JSON (the bundle manifest's and the ONNX metadata's {@code accounting}). */
    public String toJson() {
        return org.e2enet.core.io.JsonDocuments.toCompactJson(this);
    }

    /** The accounting at the expected active counts of the spec's sparsity and granularity. */
    public static Accounting expected(ModelSpec spec) {
        return of(spec, layer -> expectedActive(layer, spec));
    }

    /**
     * The accounting for given active kernel counts (e.g. counted from a trained bundle's masks).
     *
     * @param active active kernels of a masked layer (ignored for unmasked layers)
     */
    public static Accounting of(ModelSpec spec, ToLongFunction<Layer> active) {
        List<LayerCost> costs = new ArrayList<>();
        long params = 0;
        long paper = 0;
        long trueF = 0;
        long denseParams = 0;
        long densePaper = 0;
        long denseTrue = 0;
        for (Layer l : spec.layers().all()) {
            long kernels = l.kernels();
            long act = l.masked() ? active.applyAsLong(l) : kernels;
            if (act < 0 || act > kernels) {
                throw new IllegalArgumentException(l.weightName() + ": " + act + " active of " + kernels + " kernels");
            }
            int kvol = l.kernelVolume();
            long extra = l.isUnit() ? 3L * l.outChannels() : 0; // bias, gamma, beta
            long outVox = voxels(spec.levelShape(l.level()));
            long inVox = voxels(spec.levelShape(l.inputLevel()));
            long constant = l.kind() == LayerKind.FUSION_CONV ? l.outChannels() * outVox : 0;
            long positions = l.kind() == LayerKind.TCONV ? inVox : outVox;
            long p = act * kvol + extra;
            long pf = 2L * kvol * act * outVox + constant;
            long tf = 2L * kvol * act * positions;
            long dtf = 2L * kvol * kernels * positions;
            costs.add(new LayerCost(l.weightName(), l.kind(), l.inChannels(), l.outChannels(), kernels, act, p, pf, tf, dtf));
            params += p;
            paper += pf;
            trueF += tf;
            denseParams += kernels * kvol + extra;
            densePaper += 2L * kvol * kernels * outVox + constant;
            denseTrue += dtf;
        }
        return new Accounting(spec.granularity().toString(), spec.density(), params, paper, trueF, denseParams,
                densePaper, denseTrue, List.copyOf(costs));
    }

    /**
     * Expected active kernels of a masked layer at its density ({@link ModelSpec#densityOf}): round(dim0 * dim1 * density) for
     * kernel granularity (round half to even, as Python's round), round(inputs * density) * outputs for
     * channel and group granularities (whole input channels are kept or dropped), all for dense.
     */
    public static long expectedActive(Layer layer, ModelSpec spec) {
        double density = spec.densityOf(layer);
        return switch (spec.granularity().kind()) {
            case DENSE -> layer.kernels();
            case KERNEL -> (long) Math.rint(layer.kernels() * density);
            case CHANNEL, GROUP -> (long) Math.rint(layer.inChannels() * density) * layer.outChannels();
        };
    }

    private static long voxels(int[] shape) {
        return (long) shape[0] * shape[1] * shape[2];
    }
}
