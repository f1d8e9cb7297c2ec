package org.e2enet.exporter;

import org.e2enet.onnx.proto.OnnxMl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.onnx.LayerExport;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.core.onnx.WeightDigests;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.Accounting;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Topology;
import org.e2enet.onnx.proto.OnnxMl;

/**
 * Lowers a model bundle to an ONNX graph of standard operators (docs/network.md#topology, #export): the depth shift as
 * Slice + Pad + Concat (zero-filled, chunked exactly as the training model), (1,3,3) Conv with padding
 * (0,1,1), InstanceNormalization, LeakyRelu, MaxPool, the transposed conv with kernel = stride (a 1x1x1 Conv whose
 * taps DepthToSpace, Reshape and Transpose put in place for a static input, ConvTranspose for a dynamic one),
 * Concat, and the 1x1x1 head 0.
 * Masked layers are pruned physically: the input channels no active kernel uses are dropped
 * with a Gather, group granularity becomes a grouped Conv, and for kernel granularity a cost model picks
 * between the dense convolution with zeros and the gathered one.
 *
 * <p>This class walks the topology and assembles the model; the pieces do the work: {@link LoweringChooser} (the cost
 * model's choice), {@link ChannelNeeds} (liveness), {@link PrunedWeights} (weight slicing), {@link UnitEmitter},
 * {@link FusionEmitter}, {@link TransposedConvEmitter} and {@link HeadEmitter} (the nodes per layer kind) and
 * {@link LayerRecords} (the report's rows).
 */
public final class OnnxExporter {
    private OnnxExporter() {
    }

    /** The exported model and what was done to each layer. */
    public record Result(OnnxMl.ModelProto model, List<LayerExport> layers, long storedParams, WeightDigests digests) {
    }

    /** Exports {@code bundle}. */
    public static Result export(ModelBundle bundle, ExportOptions options, CostModel cost) {
        ModelSpec spec = bundle.spec();
        OnnxBuilder g = new OnnxBuilder("e2enet");
        int[] patch = spec.patchSize();
        Object[] spatial = options.dynamicSpatial() ? new Object[] {"D", "H", "W"} : new Object[] {patch[0], patch[1], patch[2]};
        g.declareInput(OnnxContract.INPUT, "N", spec.inputChannels(), spatial[0], spatial[1], spatial[2]);
        LoweringChooser chooser = new LoweringChooser(bundle, cost, options.pruned());
        ChannelNeeds needs = new ChannelNeeds(bundle, chooser, options.pruned());
        LayerRecords records = new LayerRecords(spec);
        PrunedWeights weights = new PrunedWeights(bundle);
        ChannelGather channels = new ChannelGather(g);
        UnitEmitter units = new UnitEmitter(g, weights, records, chooser, needs, new DepthShiftNodes(g, spec.shiftGroups()), channels);
        TransposedConvEmitter transposed = new TransposedConvEmitter(g, spec, options.dynamicSpatial(), weights, records, needs, channels);
        Steps steps = new Steps(units, new FusionEmitter(g, records, chooser, needs, channels, units, transposed),
                new HeadEmitter(g, weights, records, channels));
        ChannelTensor image = new ChannelTensor(OnnxContract.INPUT, LiveChannels.all(spec.inputChannels()));
        String logits = spec.topology().walk(image, steps, 1).get(0).name();
        g.output(logits, OnnxContract.OUTPUT);
        g.declareOutput(OnnxContract.OUTPUT, "N", spec.numClasses(), spatial[0], spatial[1], spatial[2]);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(OnnxContract.SPEC, spec.toJson());
        meta.put(OnnxContract.PLANS, bundle.manifest().plans() == null ? "null" : bundle.manifest().plans().toJson());
        meta.put(OnnxContract.ACCOUNTING, Accounting.of(spec, bundle::activeKernels).toJson());
        OnnxMl.ModelProto model = g.build(meta);
        WeightDigests digests = WeightDigests.of(model, initializer -> sourcesOf(bundle, initializer));
        model = model.toBuilder().addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(OnnxContract.DIGESTS)
                .setValue(digests.toJson())).build();
        return new Result(model, records.all(), g.storedParameters(), digests);
    }

    /** The bundle tensors an initializer was derived from: a weight (with its mask) or a bias/norm tensor; none for constants. */
    private static List<WeightDigests.Source> sourcesOf(ModelBundle bundle, String initializer) {
        Tensor t = bundle.weights().tensors().get(initializer);
        if (t == null) {
            return List.of();
        }
        Tensor mask = bundle.masks().tensors().get(Layer.maskNameOf(initializer));
        return mask == null ? List.of(WeightDigests.Source.of(t)) : List.of(WeightDigests.Source.of(t), WeightDigests.Source.of(mask));
    }

    /** Each step of the topology handed to the emitter of its layer kind. */
    private record Steps(UnitEmitter units, FusionEmitter fusions, HeadEmitter heads) implements Topology.Visitor<ChannelTensor> {
        @Override
        public ChannelTensor unit(Layer l, ChannelTensor x) {
            return units.unit(l, x);
        }

        @Override
        public ChannelTensor fuse(Topology.Fusion node, ChannelTensor same, ChannelTensor below, ChannelTensor above) {
            return fusions.of(node, same, below, above);
        }

        @Override
        public ChannelTensor head(Layer head, ChannelTensor x) {
            return heads.of(head, x);
        }
    }
}
