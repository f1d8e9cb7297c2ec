package org.e2enet.exporter;

import java.util.Map;
import org.e2enet.core.onnx.Lowering;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.ModelSpec;

/**
 * The ONNX nodes of a transposed conv whose kernel equals its stride: ConvTranspose for a symbolic input, a 1x1x1
 * Conv whose taps are then moved into place for a fixed one. It computes only the output channels its fusion conv
 * reads and, when pruning, reads only the input channels some active kernel of those outputs uses (Gather).
 */
final class TransposedConvEmitter {
    private final OnnxBuilder g;
    private final ModelSpec spec;
    private final boolean dynamicSpatial;
    private final PrunedWeights weights;
    private final LayerRecords records;
    private final ChannelNeeds needs;
    private final ChannelGather channels;

    TransposedConvEmitter(OnnxBuilder g, ModelSpec spec, boolean dynamicSpatial, PrunedWeights weights, LayerRecords records, ChannelNeeds needs,
                          ChannelGather channels) {
        this.g = g;
        this.spec = spec;
        this.dynamicSpatial = dynamicSpatial;
        this.weights = weights;
        this.records = records;
        this.needs = needs;
        this.channels = channels;
    }

    /** The transposed conv {@code l} of {@code x}, its nodes in its own scope; null when no output is read. */
    String of(Layer l, ChannelTensor x) {
        String outer = g.scope(l.prefix());
        try {
            return inScope(l, x);
        } finally {
            g.scope(outer);
        }
    }

    private String inScope(Layer l, ChannelTensor x) {
        LiveChannels.Need n = needs.of(l);
        int[] keepOutputs = n.outputs();
        if (keepOutputs.length == 0) {
            records.notComputed(l, "no output channel is read by its fusion conv: not computed");
            return null;
        }
        int ins = l.inChannels();
        int outs = l.outChannels();
        int[] kk = l.kernel();
        int[] inputs = n.inputs();
        float[] sub = weights.transposed(l, inputs, keepOutputs);
        boolean gathered = inputs.length < ins;
        String reason = (gathered ? "reads " + inputs.length + " of " + ins + " inputs" : "reads all inputs")
                + (keepOutputs.length < outs ? ", computes the " + keepOutputs.length + " of " + outs + " outputs its fusion conv reads" : "")
                + (dynamicSpatial ? "" : "; as a 1x1x1 Conv and a Transpose");
        records.lowered(l, gathered ? Lowering.GATHER : Lowering.DENSE, reason, Map.of(), inputs.length, keepOutputs.length, sub.length, sub.length);
        String in = channels.select(x, inputs);
        if (dynamicSpatial) {
            String wn = g.floats(l.weightName(), sub, inputs.length, keepOutputs.length, kk[0], kk[1], kk[2]);
            return g.node("ConvTranspose", new String[] {in, wn}, Map.of("kernel_shape", new long[] {kk[0], kk[1], kk[2]},
                    "strides", new long[] {kk[0], kk[1], kk[2]}));
        }
        return convAndInterleave(l, in, sub, inputs.length, keepOutputs.length);
    }

    /**
     * A transposed conv whose kernel equals its stride, for a static input: every output voxel takes exactly one
     * kernel tap, so it is a 1x1x1 Conv to (outputs x taps) channels whose taps are then moved into place. With
     * square in-plane taps (kh = kw, every preset) a DepthToSpace interleaves h and w and a Transpose of whole
     * planes interleaves d; otherwise one 8-D Transpose does all three. Measured on the paper's channels (64^3
     * tile, ONNX Runtime 1.28.0, 2 threads, 2026-12-01, one run): ONNX Runtime's ConvTranspose (GEMM, then col2im)
     * took 697 ms of a 2477 ms dense tile and 115 ms of a 689 ms pruned one; as a Conv with the 8-D Transpose the
     * interleave took 308 and 64 ms; with DepthToSpace and the plane Transpose 179 and 50 ms.
     *
     * @param sub the kept weights, [inputs][outputs][taps]
     */
    private String convAndInterleave(Layer l, String x, float[] sub, int inputs, int outputs) {
        int[] k = l.kernel();
        int taps = l.kernelVolume();
        float[] w = PrunedWeights.tapsAsOutputs(sub, inputs, outputs, taps);
        String wn = g.floats(l.weightName(), w, (long) outputs * taps, inputs, 1, 1, 1);
        String perTap = g.node("Conv", new String[] {x, wn}, Map.of("kernel_shape", new long[] {1, 1, 1}));
        int[] s = spec.levelShape(l.inputLevel());
        long[] up = {(long) s[0] * k[0], (long) s[1] * k[1], (long) s[2] * k[2]};
        String placed;
        if (k[1] == k[2]) {
            // [N, (o, kd, kh, kw), D*H, W] -> DepthToSpace (CRD) -> [N, (o, kd), D*H*kh, W*kw] = [N, o, kd, D, H*kh, W*kw]
            String rows = reshape(perTap, (long) outputs * taps, (long) s[0] * s[1], s[2]);
            String planes = reshape(g.node("DepthToSpace", new String[] {rows}, Map.of("blocksize", (long) k[1], "mode", "CRD")), outputs,
                    k[0], s[0], up[1], up[2]);
            placed = k[0] == 1 ? planes : g.node("Transpose", new String[] {planes}, Map.of("perm", new long[] {0, 1, 3, 2, 4, 5}));
        } else {
            // [N, o, kd, kh, kw, D, H, W] -> [N, o, D, kd, H, kh, W, kw]
            placed = g.node("Transpose", new String[] {reshape(perTap, outputs, k[0], k[1], k[2], s[0], s[1], s[2])},
                    Map.of("perm", new long[] {0, 1, 5, 2, 6, 3, 7, 4}));
        }
        return reshape(placed, outputs, up[0], up[1], up[2]);
    }

    /** {@code x} reshaped to [N, dims...] (N kept). */
    private String reshape(String x, long... dims) {
        long[] shape = new long[dims.length + 1];
        shape[0] = -1;
        System.arraycopy(dims, 0, shape, 1, dims.length);
        return g.node("Reshape", new String[] {x, g.int64s(g.fresh("shape"), shape)}, Map.of());
    }
}
