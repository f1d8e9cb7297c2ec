package org.e2enet.exporter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.onnx.LayerExport;
import org.e2enet.core.onnx.Lowering;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.core.onnx.WeightDigests;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.Accounting;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.LayerKind;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Topology;
import org.e2enet.core.spec.UnitBlock;
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
 */
public final class OnnxExporter {
    private final ModelBundle bundle;
    private final ExportOptions options;
    private final CostModel cost;
    private final ModelSpec spec;
    private final OnnxBuilder g;
    private final List<LayerExport> layers = new ArrayList<>();
    private final Map<String, Choice> choices = new HashMap<>();
    private Map<String, LiveChannels.Need> needs = Map.of();

    private OnnxExporter(ModelBundle bundle, ExportOptions options, CostModel cost) {
        this.bundle = bundle;
        this.options = options;
        this.cost = cost;
        this.spec = bundle.spec();
        this.g = new OnnxBuilder("e2enet");
    }

    /** The exported model and what was done to each layer. */
    public record Result(OnnxMl.ModelProto model, List<LayerExport> layers, long storedParams, WeightDigests digests) {
    }

    /** Exports {@code bundle}. */
    public static Result export(ModelBundle bundle, ExportOptions options, CostModel cost) {
        return new OnnxExporter(bundle, options, cost).run();
    }

    private Result run() {
        int[] patch = spec.patchSize();
        Object[] spatial = options.dynamicSpatial() ? new Object[] {"D", "H", "W"} : new Object[] {patch[0], patch[1], patch[2]};
        g.declare(true, OnnxContract.INPUT, "N", spec.inputChannels(), spatial[0], spatial[1], spatial[2]);
        if (options.pruned()) {
            needs = LiveChannels.of(spec.topology(), spec.pools(), this::need);
        }
        Value image = new Value(OnnxContract.INPUT, LiveChannels.all(spec.inputChannels()));
        String logits = spec.topology().walk(image, new Lower(), 1).get(0).name();
        g.output(logits, OnnxContract.OUTPUT);
        g.declare(false, OnnxContract.OUTPUT, "N", spec.numClasses(), spatial[0], spatial[1], spatial[2]);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(OnnxContract.SPEC, spec.toJson());
        meta.put(OnnxContract.PLANS, bundle.manifest().plans() == null ? "null" : bundle.manifest().plans().toJson());
        meta.put(OnnxContract.ACCOUNTING, Accounting.of(spec, bundle::activeKernels).toJson());
        OnnxMl.ModelProto model = g.build(meta);
        WeightDigests digests = WeightDigests.of(model, this::sourcesOf);
        model = model.toBuilder().addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(OnnxContract.DIGESTS)
                .setValue(digests.toJson())).build();
        return new Result(model, List.copyOf(layers), g.storedParameters(), digests);
    }

    /** The bundle tensors an initializer was derived from: a weight (with its mask) or a bias/norm tensor; none for constants. */
    private List<WeightDigests.Source> sourcesOf(String initializer) {
        Tensor t = bundle.weights().tensors().get(initializer);
        if (t == null) {
            return List.of();
        }
        Tensor mask = bundle.masks().tensors().get(Layer.maskNameOf(initializer));
        return mask == null ? List.of(WeightDigests.Source.of(t)) : List.of(WeightDigests.Source.of(t), WeightDigests.Source.of(mask));
    }

    /** A tensor of the graph and, in order, the channels of the full activation it holds (none: not computed). */
    private record Value(String name, int[] channels) {
        static final Value NONE = new Value(null, new int[0]);
    }

    /** The ONNX nodes of each step of the topology. */
    private final class Lower implements Topology.Visitor<Value> {
        @Override
        public Value unit(Layer l, Value x) {
            return OnnxExporter.this.unit(l, x);
        }

        @Override
        public Value fuse(Topology.Fusion node, Value same, Value below, Value above) {
            return fusionNode(node, same, below, above);
        }

        @Override
        public Value head(Layer head, Value x) {
            g.scope(head.prefix());
            float[] w = weight(head);
            String wn = g.floats(head.weightName(), w, head.weightShape());
            layers.add(new LayerExport(head.weightName(), "head", Lowering.DENSE, "not masked", Map.of(), head.inChannels(),
                    head.outChannels(), w.length, flops(head, w.length)));
            int[] k = head.kernel();
            String conv = g.node("Conv", new String[] {select(x, LiveChannels.all(head.inChannels())), wn},
                    Map.of("kernel_shape", new long[] {k[0], k[1], k[2]}));
            return new Value(conv, LiveChannels.all(head.outChannels()));
        }
    }

    /**
     * What {@code l} computes and reads when {@code live} of its outputs are read (pruned export): a grouped conv
     * computes every output, a transposed conv reads the inputs some active kernel of its live outputs uses, a
     * masked conv the inputs its lowering reads, any other layer all its inputs.
     */
    private LiveChannels.Need need(Layer l, int[] live) {
        int ins = l.inChannels();
        if (l.kind() == LayerKind.TCONV) {
            Tensor mask = bundle.masks().tensors().get(l.maskName());
            if (mask == null) {
                return new LiveChannels.Need(live, LiveChannels.all(ins));
            }
            byte[] m = mask.data();
            int outs = l.outChannels();
            int[] inputs = Arrays.stream(LiveChannels.all(ins)).filter(i -> Arrays.stream(live).anyMatch(o -> m[i * outs + o] != 0)).toArray();
            // every live output is zero: a constant zero tensor of the right shape is the transposed conv of one zero weight
            return new LiveChannels.Need(live, inputs.length == 0 ? new int[] {0} : inputs);
        }
        if (!l.masked()) {
            return new LiveChannels.Need(live, LiveChannels.all(ins));
        }
        Choice c = choice(l, live);
        return switch (c.lowering()) {
            case GATHER -> new LiveChannels.Need(live, c.union());
            case GROUPED -> new LiveChannels.Need(LiveChannels.all(l.outChannels()), c.union());
            default -> new LiveChannels.Need(live, LiveChannels.all(ins));
        };
    }

    /** What {@code l} computes and reads: from the liveness pass when pruning, everything otherwise. */
    private LiveChannels.Need needOf(Layer l) {
        return options.pruned() ? needs.getOrDefault(l.weightName(), LiveChannels.Need.NOTHING)
                : new LiveChannels.Need(LiveChannels.all(l.outChannels()), LiveChannels.all(l.inChannels()));
    }

    private Choice choice(Layer l, int[] outputs) {
        return choices.computeIfAbsent(l.weightName(), k -> choose(l, outputs));
    }

    private void notComputed(Layer l) {
        layers.add(new LayerExport(l.weightName(), kindOf(l), Lowering.NOT_COMPUTED, "no consumer reads any of its outputs: not computed",
                Map.of(), 0, 0, 0, 0));
    }

    /** The weight with its mask applied (masked kernels exactly zero). */
    private float[] weight(Layer l) {
        float[] w = bundle.weights().tensors().get(l.weightName()).floats();
        Tensor mask = bundle.masks().tensors().get(l.maskName());
        if (mask != null) {
            int kvol = l.kernelVolume();
            byte[] m = mask.data();
            for (int k = 0; k < m.length; k++) {
                if (m[k] == 0) {
                    Arrays.fill(w, k * kvol, (k + 1) * kvol, 0f);
                }
            }
        }
        return w;
    }

    private Value unit(Layer l, Value x) {
        LiveChannels.Need n = needOf(l);
        if (n.outputs().length == 0) {
            notComputed(l);
            return Value.NONE;
        }
        g.scope(l.prefix());
        String conv;
        if (!l.masked()) {
            conv = plainConv(l, depthShift(select(x, n.inputs()), fullChunks(l.inChannels())), n.outputs());
        } else {
            Choice c = choice(l, n.outputs());
            String in = c.lowering() == Lowering.DENSE ? depthShift(select(x, n.inputs()), fullChunks(l.inChannels())) : shiftedSubset(x, l, c);
            conv = maskedConv(l, c, in, n.outputs());
        }
        return new Value(normAndActivation(l, conv, n.outputs()), n.outputs());
    }

    /**
     * A fusion node: concat[x_{i,j-1}, TConv(x_{i+1,j-1}), MaxPool(x_{i-1,j-1})] into its first conv. When that
     * conv is pruned, only the channels it reads are produced: each part is gathered (before pooling), the
     * transposed conv computes only the kept outputs, and a part with no kept channel is not computed at all;
     * the conv computes only the outputs its consumers read.
     */
    private Value fusionNode(Topology.Fusion node, Value same, Value below, Value above) {
        Layer l = node.conv();
        LiveChannels.Need n = needOf(l);
        if (n.outputs().length == 0) {
            notComputed(node.up());
            notComputed(l);
            return Value.NONE;
        }
        g.scope(l.prefix());
        Choice c = choice(l, n.outputs());
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
            parts.add(select(same, keep[0]));
        }
        parts.add(transposedConv(node.up(), below));
        if (above != null && keep[2].length > 0) {
            int[] pool = node.abovePool();
            long[] k = {pool[0], pool[1], pool[2]};
            parts.add(g.node("MaxPool", new String[] {select(above, keep[2])}, Map.of("kernel_shape", k, "strides", k)));
        }
        parts.removeIf(java.util.Objects::isNull);
        String cat = parts.size() == 1 ? parts.get(0) : g.node("Concat", parts.toArray(String[]::new), Map.of("axis", 1L));
        String shifted = depthShift(cat, chunkCounts(union, l.inChannels()));
        String conv = maskedConv(l, c, c.lowering() == Lowering.GROUPED ? regroup(shifted, c) : shifted, n.outputs());
        return new Value(normAndActivation(l, conv, n.outputs()), n.outputs());
    }


    /** The channels {@code wanted} (sorted) of {@code x}, which holds them all: {@code x} itself when it holds exactly them. */
    private String select(Value x, int[] wanted) {
        if (Arrays.equals(x.channels(), wanted)) {
            return x.name();
        }
        int[] positions = Arrays.stream(wanted).map(c -> Arrays.binarySearch(x.channels(), c)).toArray();
        if (Arrays.stream(positions).anyMatch(p -> p < 0)) {
            throw new IllegalStateException("liveness: a tensor lacks channels its consumer reads");
        }
        return gather(x.name(), new int[][] {positions});
    }

    /** Gathers the union a pruned conv reads, then depth-shifts it with the chunks those channels came from. */
    private String shiftedSubset(Value x, Layer l, Choice c) {
        String shifted = depthShift(select(x, c.union()), chunkCounts(c.union(), l.inChannels()));
        return c.lowering() == Lowering.GROUPED ? regroup(shifted, c) : shifted;
    }

    /** For a grouped conv: from the shifted union, each group's own input channels in group order. */
    private String regroup(String union, Choice c) {
        int[] u = c.union();
        int[][] positions = new int[c.inputs().length][];
        for (int gr = 0; gr < positions.length; gr++) {
            positions[gr] = Arrays.stream(c.inputs()[gr]).map(v -> Arrays.binarySearch(u, v)).toArray();
        }
        return gather(union, positions);
    }

    /** Chunk sizes of the depth shift for all {@code channels} channels. */
    private int[] fullChunks(int channels) {
        return chunkCounts(LiveChannels.all(channels), channels);
    }

    /** How many of the (sorted) kept channels fall into each depth-shift chunk of a {@code channels}-wide input. */
    private int[] chunkCounts(int[] kept, int channels) {
        int s = spec.shiftGroups();
        int q = (channels + s - 1) / s;
        int[] counts = new int[(channels + q - 1) / q];
        for (int c : kept) {
            counts[c / q]++;
        }
        return counts;
    }

    private String normAndActivation(Layer l, String conv, int[] outputs) {
        String scale = g.floats(l.normWeightName(), rows(bundle.weights().tensors().get(l.normWeightName()).floats(), outputs, 1), outputs.length);
        String bias = g.floats(l.normBiasName(), rows(bundle.weights().tensors().get(l.normBiasName()).floats(), outputs, 1), outputs.length);
        String norm = g.node("InstanceNormalization", new String[] {conv, scale, bias}, Map.of("epsilon", UnitBlock.NORM_EPSILON));
        return g.node("LeakyRelu", new String[] {norm}, Map.of("alpha", UnitBlock.LEAKY_RELU_SLOPE));
    }

    /** The rows {@code outputs} of {@code a}, each {@code width} values long. */
    private static float[] rows(float[] a, int[] outputs, int width) {
        if (outputs.length * width == a.length) {
            return a;
        }
        float[] out = new float[outputs.length * width];
        for (int r = 0; r < outputs.length; r++) {
            System.arraycopy(a, outputs[r] * width, out, r * width, width);
        }
        return out;
    }

    /** ", computes the k of n outputs its consumers read" when k &lt; n. */
    private static String outputsNote(Layer l, int[] outputs) {
        return outputs.length < l.outChannels() ? ", computes the " + outputs.length + " of " + l.outChannels() + " outputs its consumers read"
                : "";
    }

    private Map<String, Object> convAttributes(Layer l, int group) {
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

    private String plainConv(Layer l, String x, int[] outputs) {
        int rowLength = l.inChannels() * l.kernelVolume();
        float[] w = rows(weight(l), outputs, rowLength);
        int[] k = l.kernel();
        String wn = g.floats(l.weightName(), w, outputs.length, l.inChannels(), k[0], k[1], k[2]);
        String bn = g.floats(l.biasName(), rows(bundle.weights().tensors().get(l.biasName()).floats(), outputs, 1), outputs.length);
        layers.add(new LayerExport(l.weightName(), kindOf(l), Lowering.DENSE, "not masked" + outputsNote(l, outputs), Map.of(), l.inChannels(),
                outputs.length, w.length + outputs.length, flops(l, w.length)));
        return g.node("Conv", new String[] {x, wn, bn}, convAttributes(l, 1));
    }

    /** 2 x multiply-adds of a lowered layer storing {@code weights} values, for one patch. */
    private long flops(Layer l, long weights) {
        return (long) (2 * weights * positions(l));
    }

    /** Voxels at which the layer's kernels are applied for a patch-sized input. */
    private double positions(Layer l) {
        int[] s = spec.levelShape(l.kind() == LayerKind.TCONV ? l.inputLevel() : l.level());
        return (double) s[0] * s[1] * s[2];
    }

    private double inputVoxels(Layer l) {
        int[] s = spec.levelShape(l.inputLevel());
        return (double) s[0] * s[1] * s[2];
    }

    /** Input channels of a conv that any active kernel of the {@code outputs} (sorted) uses, per output group. */
    private int[][] usedInputs(Layer l, int groups, int[] outputs) {
        byte[] m = bundle.masks().tensors().get(l.maskName()).data();
        int outs = l.outChannels();
        int ins = l.inChannels();
        int per = outs / groups;
        int[][] used = new int[groups][];
        for (int gr = 0; gr < groups; gr++) {
            TreeSet<Integer> set = new TreeSet<>();
            for (int o : outputs) {
                if (o / per != gr) {
                    continue;
                }
                for (int i = 0; i < ins; i++) {
                    if (m[o * ins + i] != 0) {
                        set.add(i);
                    }
                }
            }
            used[gr] = set.stream().mapToInt(Integer::intValue).toArray();
        }
        return used;
    }

    private record Choice(Lowering lowering, int[][] inputs, Map<String, Double> estimates, String reason) {
        /** Sorted distinct input channels the lowered conv reads. */
        int[] union() {
            return Arrays.stream(inputs).flatMapToInt(Arrays::stream).distinct().sorted().toArray();
        }
    }

    /** Chooses the lowering of a masked conv computing {@code outputs} by the cost model (or dense when not pruning). */
    private Choice choose(Layer l, int[] outputs) {
        int kvol = l.kernelVolume();
        double pos = positions(l);
        double outs = outputs.length;
        Map<String, Double> est = new LinkedHashMap<>();
        est.put("dense", cost.conv(2.0 * kvol * l.inChannels() * outs * pos, false));
        if (!options.pruned() || bundle.masks().tensors().get(l.maskName()) == null) {
            return new Choice(Lowering.DENSE, null, est, options.pruned() ? "no mask in the bundle" : "--lowering dense");
        }
        int[][] union = usedInputs(l, 1, outputs);
        if (union[0].length == 0) {
            return new Choice(Lowering.DENSE, null, est, "no active kernel: dense zeros (the layer adds only its bias)");
        }
        double kept = union[0].length;
        est.put("gather", cost.conv(2.0 * kvol * kept * outs * pos, false) + cost.gather(kept * inputVoxels(l)));
        int[][] grouped = null;
        if (spec.granularity().kind() == Granularity.Kind.GROUP) {
            int groups = spec.granularity().groups();
            grouped = usedInputs(l, groups, LiveChannels.all(l.outChannels()));
            if (Arrays.stream(grouped).mapToInt(a -> a.length).distinct().count() == 1 && grouped[0].length > 0) {
                double k = grouped[0].length;
                est.put("grouped", cost.conv(2.0 * kvol * k * l.outChannels() * pos, true) + cost.gather(groups * k * inputVoxels(l)));
            } else {
                grouped = null;
            }
        }
        String best = est.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String reason = String.format(Locale.ROOT, "cheapest estimate (%s)", est.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.3f ms", e.getKey(), e.getValue())).reduce((a, b) -> a + ", " + b).orElse(""));
        return switch (best) {
            case "gather" -> new Choice(Lowering.GATHER, union, est, reason);
            case "grouped" -> new Choice(Lowering.GROUPED, grouped, est, reason);
            default -> new Choice(Lowering.DENSE, null, est, reason);
        };
    }

    private String gather(String x, int[][] inputs) {
        long[] idx = Arrays.stream(inputs).flatMapToInt(Arrays::stream).asLongStream().toArray();
        String indices = g.int64s(g.fresh("keep"), idx);
        return g.node("Gather", new String[] {x, indices}, Map.of("axis", 1L));
    }

    /**
     * The masked conv computing {@code outputs} on {@code x}, which holds all input channels (DENSE), the union
     * (GATHER) or each group's channels in group order (GROUPED, then computing every output).
     */
    private String maskedConv(Layer l, Choice c, String x, int[] outputs) {
        float[] w = weight(l);
        String bn = g.floats(l.biasName(), rows(bundle.weights().tensors().get(l.biasName()).floats(), outputs, 1), outputs.length);
        int ins = l.inChannels();
        int kvol = l.kernelVolume();
        int[] kk = l.kernel();
        String reason = c.reason() + outputsNote(l, outputs);
        if (c.lowering() == Lowering.DENSE) {
            float[] sub = rows(w, outputs, ins * kvol);
            String wn = g.floats(l.weightName(), sub, outputs.length, ins, kk[0], kk[1], kk[2]);
            layers.add(new LayerExport(l.weightName(), kindOf(l), c.lowering(), reason, c.estimates(), ins, outputs.length,
                    sub.length + outputs.length, flops(l, sub.length)));
            return g.node("Conv", new String[] {x, wn, bn}, convAttributes(l, 1));
        }
        int groups = c.inputs().length;
        int k = c.inputs()[0].length;
        int per = l.outChannels() / groups;
        float[] sub = new float[outputs.length * k * kvol];
        for (int r = 0; r < outputs.length; r++) {
            int o = outputs[r];
            int[] in = c.inputs()[groups == 1 ? 0 : o / per];
            for (int j = 0; j < k; j++) {
                System.arraycopy(w, (o * ins + in[j]) * kvol, sub, (r * k + j) * kvol, kvol);
            }
        }
        String wn = g.floats(l.weightName(), sub, outputs.length, k, kk[0], kk[1], kk[2]);
        layers.add(new LayerExport(l.weightName(), kindOf(l), c.lowering(), reason, c.estimates(), groups * k, outputs.length,
                sub.length + outputs.length, flops(l, sub.length)));
        return g.node("Conv", new String[] {x, wn, bn}, convAttributes(l, groups));
    }

    /**
     * The transposed conv computing only the output channels its fusion conv reads; when pruning, it reads only
     * the input channels some active kernel of those outputs uses (Gather). Null when no output is read.
     */
    private String transposedConv(Layer l, Value x) {
        String outer = g.scope(l.prefix());
        try {
            return transposedConvInScope(l, x);
        } finally {
            g.scope(outer);
        }
    }

    private String transposedConvInScope(Layer l, Value x) {
        String weightName = l.weightName();
        LiveChannels.Need n = needOf(l);
        int[] keepOutputs = n.outputs();
        if (keepOutputs.length == 0) {
            layers.add(new LayerExport(weightName, "tconv", Lowering.NOT_COMPUTED, "no output channel is read by its fusion conv: not computed",
                    Map.of(), 0, 0, 0, 0));
            return null;
        }
        float[] w = weight(l);
        int ins = l.inChannels();
        int outs = l.outChannels();
        int kvol = l.kernelVolume();
        int[] kk = l.kernel();
        int[] inputs = n.inputs();
        float[] sub = new float[inputs.length * keepOutputs.length * kvol];
        for (int j = 0; j < inputs.length; j++) {
            for (int o = 0; o < keepOutputs.length; o++) {
                System.arraycopy(w, (inputs[j] * outs + keepOutputs[o]) * kvol, sub, (j * keepOutputs.length + o) * kvol, kvol);
            }
        }
        boolean gathered = inputs.length < ins;
        String reason = (gathered ? "reads " + inputs.length + " of " + ins + " inputs" : "reads all inputs")
                + (keepOutputs.length < outs ? ", computes the " + keepOutputs.length + " of " + outs + " outputs its fusion conv reads" : "")
                + (options.dynamicSpatial() ? "" : "; as a 1x1x1 Conv and a Transpose");
        layers.add(new LayerExport(weightName, "tconv", gathered ? Lowering.GATHER : Lowering.DENSE, reason, Map.of(), inputs.length,
                keepOutputs.length, sub.length, flops(l, sub.length)));
        String in = select(x, inputs);
        if (options.dynamicSpatial()) {
            String wn = g.floats(weightName, sub, inputs.length, keepOutputs.length, kk[0], kk[1], kk[2]);
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
        float[] w = new float[outputs * taps * inputs];
        for (int i = 0; i < inputs; i++) {
            for (int o = 0; o < outputs; o++) {
                for (int t = 0; t < taps; t++) {
                    w[(o * taps + t) * inputs + i] = sub[(i * outputs + o) * taps + t];
                }
            }
        }
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

    /**
     * Zero-filled depth shift of {@code x}, whose channels are consecutive runs of {@code counts[g]} channels
     * of shift chunk g (shift g - floor(S/2)): one Pad of floor(S/2) slices on both ends of D, one Slice per
     * chunk taking the window that realises its shift, one Concat. Works for symbolic D.
     */
    private String depthShift(String x, int[] counts) {
        int p = spec.shiftGroups() / 2;
        boolean moves = false;
        for (int gr = 0; gr < counts.length; gr++) {
            moves |= counts[gr] > 0 && gr != p;
        }
        if (!moves) {
            return x;
        }
        String padded = g.node("Pad", new String[] {x, g.int64s(g.fresh("pads"), 0, 0, p, 0, 0, 0, 0, p, 0, 0)}, Map.of("mode", "constant"));
        List<String> chunks = new ArrayList<>();
        int start = 0;
        for (int gr = 0; gr < counts.length; gr++) {
            if (counts[gr] == 0) {
                continue;
            }
            int shift = gr - p;
            long from = p - shift;
            long to = p + shift == 0 ? Long.MAX_VALUE : -(p + shift);
            chunks.add(g.node("Slice", new String[] {padded, g.int64s(g.fresh("starts"), start, from),
                g.int64s(g.fresh("ends"), start + counts[gr], to), g.int64s(g.fresh("axes"), 1, 2)}, Map.of()));
            start += counts[gr];
        }
        return chunks.size() == 1 ? chunks.get(0) : g.node("Concat", chunks.toArray(String[]::new), Map.of("axis", 1L));
    }

    private static String kindOf(Layer l) {
        return l.kind().name().toLowerCase(Locale.ROOT);
    }
}
