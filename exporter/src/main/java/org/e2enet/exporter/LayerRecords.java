package org.e2enet.exporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.e2enet.core.onnx.LayerExport;
import org.e2enet.core.onnx.Lowering;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.ModelSpec;

/** The export report's rows, one per weight layer in the order the layers are lowered: what was done and what it costs. */
final class LayerRecords {
    private final ModelSpec spec;
    private final List<LayerExport> rows = new ArrayList<>();

    LayerRecords(ModelSpec spec) {
        this.spec = spec;
    }

    /**
     * Records a lowered layer.
     *
     * @param estimatedMs the cost model's estimates per lowering considered, by label (empty when none was considered)
     * @param inputs input channels the lowered layer reads
     * @param outputs output channels it computes
     * @param storedParams float values it stores (weight and bias)
     * @param weights float values of its lowered weight, which its FLOPs count
     */
    void lowered(Layer l, Lowering lowering, String reason, Map<String, Double> estimatedMs, int inputs, int outputs, long storedParams,
                 long weights) {
        rows.add(new LayerExport(l.weightName(), kindOf(l), lowering, reason, estimatedMs, inputs, outputs, storedParams,
                (long) (2 * weights * LayerPositions.positions(spec, l))));
    }

    /** Records a layer left out of the graph because nothing reads its outputs. */
    void notComputed(Layer l) {
        notComputed(l, "no consumer reads any of its outputs: not computed");
    }

    /** Records a layer left out of the graph, saying why. */
    void notComputed(Layer l, String reason) {
        rows.add(new LayerExport(l.weightName(), kindOf(l), Lowering.NOT_COMPUTED, reason, Map.of(), 0, 0, 0, 0));
    }

    /** The rows so far. */
    List<LayerExport> all() {
        return List.copyOf(rows);
    }

    /** ", computes the k of n outputs its consumers read" when k &lt; n, for a reason. */
    static String outputsNote(Layer l, int[] outputs) {
        return outputs.length < l.outChannels() ? ", computes the " + outputs.length + " of " + l.outChannels() + " outputs its consumers read"
                : "";
    }

    private static String kindOf(Layer l) {
        return l.kind().name().toLowerCase(Locale.ROOT);
    }
}
