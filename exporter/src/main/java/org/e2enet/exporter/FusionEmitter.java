package org.e2enet.exporter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.e2enet.core.onnx.Lowering;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.Topology;

/**
 * The ONNX nodes of a fusion node (docs/network.md#topology): concat[x_{i,j-1}, TConv(x_{i+1,j-1}),
 * MaxPool(x_{i-1,j-1})] into its first conv. When that conv is pruned, only the channels it reads are produced: each
 * part is gathered (before pooling), the transposed conv computes only the kept outputs, and a part with no kept
 * channel is not computed at all; the conv computes only the outputs its consumers read.
 */
final class FusionEmitter {
    private final OnnxBuilder g;
    private final LayerRecords records;
    private final LoweringChooser chooser;
    private final ChannelNeeds needs;
    private final ChannelGather channels;
    private final UnitEmitter units;
    private final TransposedConvEmitter transposed;

    FusionEmitter(OnnxBuilder g, LayerRecords records, LoweringChooser chooser, ChannelNeeds needs, ChannelGather channels, UnitEmitter units,
                  TransposedConvEmitter transposed) {
        this.g = g;
        this.records = records;
        this.chooser = chooser;
        this.needs = needs;
        this.channels = channels;
        this.units = units;
        this.transposed = transposed;
    }

    /** The fusion node's first Unit on its parts; {@code above} is null on level 0. */
    ChannelTensor of(Topology.Fusion node, ChannelTensor same, ChannelTensor below, ChannelTensor above) {
        Layer l = node.conv();
        LiveChannels.Need n = needs.of(l);
        if (n.outputs().length == 0) {
            records.notComputed(node.up());
            records.notComputed(l);
            return ChannelTensor.NONE;
        }
        g.scope(l.prefix());
        LoweringChoice c = chooser.of(l, n.outputs());
        int[] widths = node.partWidths();
        int[] union = c.lowering() == Lowering.DENSE ? LiveChannels.all(l.inChannels()) : c.union();
        int[][] keep = new int[widths.length][];
        int offset = 0;
        for (int part = 0; part < widths.length; part++) {
            final int lo = offset;
            final int hi = offset + widths[part];
            keep[part] = Arrays.stream(union).filter(v -> v >= lo && v < hi).map(v -> v - lo).toArray();
            offset = hi;
        }
        List<String> parts = new ArrayList<>();
        if (keep[0].length > 0) {
            parts.add(channels.select(same, keep[0]));
        }
        parts.add(transposed.of(node.up(), below));
        if (above != null && keep[2].length > 0) {
            int[] pool = node.abovePool();
            long[] k = {pool[0], pool[1], pool[2]};
            parts.add(g.node("MaxPool", new String[] {channels.select(above, keep[2])}, Map.of("kernel_shape", k, "strides", k)));
        }
        parts.removeIf(Objects::isNull);
        String cat = parts.size() == 1 ? parts.get(0) : g.node("Concat", parts.toArray(String[]::new), Map.of("axis", 1L));
        String conv = units.maskedConv(l, c, units.shiftedInput(cat, union, l, c), n.outputs());
        return new ChannelTensor(units.normAndActivation(l, conv, n.outputs()), n.outputs());
    }
}
