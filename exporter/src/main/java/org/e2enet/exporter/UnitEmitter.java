package org.e2enet.exporter;

import java.util.LinkedHashMap;
import java.util.Map;
import org.e2enet.core.onnx.Lowering;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.UnitBlock;

/**
 * The ONNX nodes of a Unit (docs/network.md#unit): depth shift, (1,3,3) Conv, InstanceNormalization, LeakyRelu. A
 * masked conv takes the lowering chosen for it: its input gathered (per group for a grouped conv) after the shift,
 * its weight cut to match; every conv computes only the outputs its consumers read.
 */
final class UnitEmitter {
    private final OnnxBuilder g;
    private final PrunedWeights weights;
    private final LayerRecords records;
    private final LoweringChooser chooser;
    private final ChannelNeeds needs;
    private final DepthShiftNodes shift;
    private final ChannelGather channels;

    UnitEmitter(OnnxBuilder g, PrunedWeights weights, LayerRecords records, LoweringChooser chooser, ChannelNeeds needs, DepthShiftNodes shift,
                ChannelGather channels) {
        this.g = g;
        this.weights = weights;
        this.records = records;
        this.chooser = chooser;
        this.needs = needs;
        this.shift = shift;
        this.channels = channels;
    }

    /** A Unit on {@code x} (an encoder conv, or the second conv of a fusion node on the last diagonal). */
    ChannelTensor unit(Layer l, ChannelTensor x) {
        LiveChannels.Need n = needs.of(l);
        if (n.outputs().length == 0) {
            records.notComputed(l);
            return ChannelTensor.NONE;
        }
        g.scope(l.prefix());
        String conv;
        if (!l.masked()) {
            conv = plainConv(l, shift.all(channels.select(x, n.inputs()), l.inChannels()), n.outputs());
        } else {
            LoweringChoice c = chooser.of(l, n.outputs());
            String in = c.lowering() == Lowering.DENSE ? shift.all(channels.select(x, n.inputs()), l.inChannels())
                    : shiftedInput(channels.select(x, c.union()), c.union(), l, c);
            conv = maskedConv(l, c, in, n.outputs());
        }
        return new ChannelTensor(normAndActivation(l, conv, n.outputs()), n.outputs());
    }

    /**
     * The input of the masked conv {@code l} lowered as {@code c}: {@code x}, which holds the (sorted) {@code union}
     * of its input channels, depth-shifted with the chunks those channels came from, then for a grouped conv each
     * group's channels in group order.
     */
    String shiftedInput(String x, int[] union, Layer l, LoweringChoice c) {
        String shifted = shift.kept(x, union, l.inChannels());
        return c.lowering() == Lowering.GROUPED ? channels.regroup(shifted, c) : shifted;
    }

    /**
     * The masked conv computing {@code outputs} on {@code x}, which holds all input channels (DENSE), the union
     * (GATHER) or each group's channels in group order (GROUPED, then computing every output).
     */
    String maskedConv(Layer l, LoweringChoice c, String x, int[] outputs) {
        // the bias before the weight, the reverse of plainConv's order: initializer order is part of the exported bytes
        String bn = g.floats(l.biasName(), weights.perChannel(l.biasName(), outputs), outputs.length);
        int[] kk = l.kernel();
        String reason = c.reason() + LayerRecords.outputsNote(l, outputs);
        if (c.lowering() == Lowering.DENSE) {
            float[] sub = weights.outputRows(l, outputs);
            String wn = g.floats(l.weightName(), sub, outputs.length, l.inChannels(), kk[0], kk[1], kk[2]);
            records.lowered(l, c.lowering(), reason, c.estimatedMs(), l.inChannels(), outputs.length, sub.length + outputs.length, sub.length);
            return g.node("Conv", new String[] {x, wn, bn}, convAttributes(l, 1));
        }
        int groups = c.inputs().length;
        int k = c.inputs()[0].length;
        float[] sub = weights.gathered(l, c, outputs);
        String wn = g.floats(l.weightName(), sub, outputs.length, k, kk[0], kk[1], kk[2]);
        records.lowered(l, c.lowering(), reason, c.estimatedMs(), groups * k, outputs.length, sub.length + outputs.length, sub.length);
        return g.node("Conv", new String[] {x, wn, bn}, convAttributes(l, groups));
    }

    /** InstanceNormalization and LeakyRelu of {@code conv}, which holds the {@code outputs} channels. */
    String normAndActivation(Layer l, String conv, int[] outputs) {
        String scale = g.floats(l.normWeightName(), weights.perChannel(l.normWeightName(), outputs), outputs.length);
        String bias = g.floats(l.normBiasName(), weights.perChannel(l.normBiasName(), outputs), outputs.length);
        String norm = g.node("InstanceNormalization", new String[] {conv, scale, bias}, Map.of("epsilon", UnitBlock.NORM_EPSILON));
        return g.node("LeakyRelu", new String[] {norm}, Map.of("alpha", UnitBlock.LEAKY_RELU_SLOPE));
    }

    /** An unmasked conv computing {@code outputs}, every input read. */
    private String plainConv(Layer l, String x, int[] outputs) {
        float[] w = weights.outputRows(l, outputs);
        int[] k = l.kernel();
        String wn = g.floats(l.weightName(), w, outputs.length, l.inChannels(), k[0], k[1], k[2]);
        String bn = g.floats(l.biasName(), weights.perChannel(l.biasName(), outputs), outputs.length);
        records.lowered(l, Lowering.DENSE, "not masked" + LayerRecords.outputsNote(l, outputs), Map.of(), l.inChannels(), outputs.length,
                w.length + outputs.length, w.length);
        return g.node("Conv", new String[] {x, wn, bn}, convAttributes(l, 1));
    }

    private static Map<String, Object> convAttributes(Layer l, int group) {
        int[] s = l.stride();
        Map<String, Object> a = new LinkedHashMap<>();
        int[] k = UnitBlock.kernel();
        int[] pad = UnitBlock.padding();
        a.put("kernel_shape", new long[] {k[0], k[1], k[2]});
        a.put("pads", new long[] {pad[0], pad[1], pad[2], pad[0], pad[1], pad[2]});
        a.put("strides", new long[] {s[0], s[1], s[2]});
        if (group > 1) {
            a.put("group", (long) group);
        }
        return a;
    }
}
