package org.e2enet.calibration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.onnx.proto.OnnxMl;
import org.e2enet.core.onnx.OnnxNodes;
import org.e2enet.core.onnx.OnnxTensors;

/**
 * Rewrites an FP32 E2ENet graph into explicit INT8 (QDQ format): every convolution not kept in FP32 reads its
 * input through a QuantizeLinear/DequantizeLinear pair with the calibrated per-tensor scale, its weights as
 * int8 per output channel (symmetric, zero point 0, axis 0) through a DequantizeLinear, and its output goes
 * through a QuantizeLinear/DequantizeLinear pair too; the bias stays float32. That is the pattern ONNX Runtime
 * fuses into an integer convolution (it quantizes a float bias itself: measured, the same QLinearConv nodes and
 * the same time as an int32 bias behind a DequantizeLinear) and TensorRT reads as explicit quantization (its
 * parser takes int8 Q/DQ only, not an int32 bias). With uint8 activations, where a convolution's input is only
 * moved by the depth shift's Pad/Slice/Concat or a pruned layer's Gather, the tensor they move is quantized
 * instead and those nodes run on 8-bit data (padding with the zero point), with the DequantizeLinear right before
 * the convolution; with int8 activations every convolution keeps its own pair (ONNX Runtime's x86 kernels take
 * int8 activations only through a QuantizeLinear/DequantizeLinear pair, and that is the form TensorRT reads).
 * Normalisation, activation and the transposed convolutions' interleaving stay FP32. Standard ONNX operators
 * only (opset 17).
 */
public final class QdqQuantizer {
    private QdqQuantizer() {
    }

    /** The convolutions a model has that INT8 can quantize, by node name, in graph order. */
    public static List<String> quantizableNodes(OnnxMl.ModelProto model) {
        List<String> out = new ArrayList<>();
        for (OnnxMl.NodeProto n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("Conv")) {
                out.add(n.getName());
            }
        }
        return out;
    }

    /** The values that are the graph's output or reach it through Identity nodes only: the logits. */
    public static Set<String> logitTensors(OnnxMl.ModelProto model) {
        Set<String> out = new LinkedHashSet<>();
        model.getGraph().getOutputList().forEach(v -> out.add(v.getName()));
        List<OnnxMl.NodeProto> nodes = model.getGraph().getNodeList();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            OnnxMl.NodeProto n = nodes.get(i);
            if (n.getOpType().equals("Identity") && out.contains(n.getOutput(0))) {
                out.add(n.getInput(0));
            }
        }
        return out;
    }

    /** Operators that only move, select or pad values, and run on int8 data as they are (a chain into a convolution). */
    static final Set<String> DATA_MOVEMENT = Set.of("Pad", "Slice", "Concat", "Gather");

    /**
     * What feeds one convolution's input: the tensor quantized ({@code root}) and the data-movement nodes between
     * it and the convolution, which then run on int8 ({@code nodes}, empty when the root is the input itself).
     */
    private record Chain(String root, Set<String> nodes) {
    }

    /** The graph's producers and consumers by value name. */
    private record Wiring(Map<String, OnnxMl.NodeProto> producers, Map<String, List<String>> consumers, Set<String> initializers) {
        static Wiring of(OnnxMl.GraphProto g) {
            Map<String, OnnxMl.NodeProto> producers = new HashMap<>();
            Map<String, List<String>> consumers = new HashMap<>();
            for (OnnxMl.NodeProto n : g.getNodeList()) {
                n.getOutputList().forEach(o -> producers.put(o, n));
                n.getInputList().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n.getName()));
            }
            Set<String> inits = new HashSet<>();
            g.getInitializerList().forEach(t -> inits.add(t.getName()));
            return new Wiring(producers, consumers, inits);
        }
    }

    /**
     * Each quantized convolution's chain: walking up from its input through Pad, Slice, Concat and Gather while
     * every branch leads to one tensor and nothing outside the chain reads the nodes' outputs. The depth shift
     * (Pad, three Slices, Concat) and a pruned layer's Gather then move int8 values, a quarter of the bytes.
     */
    private static Map<String, Chain> chains(OnnxMl.GraphProto g, Set<String> kept, ActivationScheme scheme) {
        Wiring w = Wiring.of(g);
        Map<String, Chain> out = new LinkedHashMap<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            if (!n.getOpType().equals("Conv") || kept.contains(n.getName())) {
                continue;
            }
            Set<String> nodes = new LinkedHashSet<>();
            String root = walk(n.getInput(0), w, nodes);
            boolean exclusive = true;
            for (OnnxMl.NodeProto c : g.getNodeList()) {
                if (nodes.contains(c.getName())) {
                    for (String o : c.getOutputList()) {
                        for (String reader : w.consumers().getOrDefault(o, List.of())) {
                            exclusive &= nodes.contains(reader) || reader.equals(n.getName());
                        }
                    }
                }
            }
            boolean chained = scheme.movesInInt8() && exclusive && !nodes.isEmpty();
            out.put(n.getName(), chained ? new Chain(root, nodes) : new Chain(n.getInput(0), Set.of()));
        }
        return out;
    }

    /** The single tensor {@code t} moves values of (adding the nodes passed to {@code nodes}), or {@code t} itself. */
    private static String walk(String t, Wiring w, Set<String> nodes) {
        OnnxMl.NodeProto p = w.producers().get(t);
        if (p == null || !DATA_MOVEMENT.contains(p.getOpType())) {
            return t;
        }
        List<String> data = p.getOpType().equals("Concat") ? p.getInputList() : List.of(p.getInput(0));
        Set<String> below = new LinkedHashSet<>();
        String found = null;
        for (String in : data) {
            String r = walk(in, w, below);
            if (found != null && !found.equals(r)) {
                return t;
            }
            found = r;
        }
        nodes.addAll(below);
        nodes.add(p.getName());
        return found;
    }

    /**
     * The activation tensors whose ranges quantizing the convolutions other than {@code kept} needs: each one's
     * output, and the root of its input's chain (the input itself when nothing but the convolution moves it).
     */
    public static Set<String> tensorsToObserve(OnnxMl.ModelProto model, Set<String> kept, ActivationScheme scheme) {
        return observed(model.getGraph(), chains(model.getGraph(), kept, scheme));
    }

    /** The tensors to observe for {@code chains}: each quantized convolution's input chain root and output, in graph order. */
    private static Set<String> observed(OnnxMl.GraphProto g, Map<String, Chain> chains) {
        Set<String> out = new LinkedHashSet<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            Chain c = chains.get(n.getName());
            if (c != null) {
                out.add(c.root());
                out.add(n.getOutput(0));
            }
        }
        return out;
    }

    /**
     * The INT8 model.
     *
     * @param model the FP32 graph
     * @param ranges a range for every tensor {@link #tensorsToObserve} names for {@code kept} and {@code scheme}
     * @param kept convolutions left FP32 (node names)
     * @param scheme how activations are stored
     * @return the quantized model (same metadata) and the activation parameters chosen per tensor, in graph order
     */
    public static Result quantize(OnnxMl.ModelProto model, Map<String, ActivationRange> ranges, Set<String> kept, ActivationScheme scheme) {
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, OnnxMl.TensorProto> inits = new LinkedHashMap<>();
        g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        // the chains once: the tensors to observe, the quantized roots and the rewrite all follow from them
        Map<String, Chain> chains = chains(g, kept, scheme);
        Map<String, ActivationScheme.Params> params = new LinkedHashMap<>();
        for (String t : observed(g, chains)) {
            ActivationRange r = ranges.get(t);
            if (r == null) {
                throw new IllegalArgumentException("no activation range for tensor " + t);
            }
            params.put(t, scheme.params(r));
        }
        // tensors read back as float through a DequantizeLinear (conv outputs, inputs without a chain)
        Map<String, String> dequantized = new HashMap<>();
        Map<String, String> chainRootOf = new HashMap<>();
        Set<String> quantizedRoots = new HashSet<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            Chain c = chains.get(n.getName());
            if (c == null) {
                continue;
            }
            dequantized.put(n.getOutput(0), n.getOutput(0) + "_dq");
            if (c.nodes().isEmpty()) {
                dequantized.put(c.root(), c.root() + "_dq");
            } else {
                quantizedRoots.add(c.root());
                c.nodes().forEach(node -> chainRootOf.put(node, c.root()));
            }
        }
        List<OnnxMl.TensorProto> newInits = new ArrayList<>();
        Set<String> dropped = new LinkedHashSet<>();
        Set<String> withParams = new HashSet<>();
        List<OnnxMl.NodeProto> nodes = new ArrayList<>();
        String input = g.getInput(0).getName();
        quantizeValue(input, "", params, scheme, dequantized, quantizedRoots, nodes, newInits, withParams);
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            OnnxMl.NodeProto.Builder b = n.toBuilder();
            String root = chainRootOf.get(n.getName());
            Chain chain = chains.get(n.getName());
            if (root != null) {
                // a data-movement node of a chain: int8 in, int8 out; padding is the stored zero
                for (int i = 0; i < b.getInputCount(); i++) {
                    if (b.getInput(i).equals(root)) {
                        b.setInput(i, root + "_q");
                    }
                }
                if (n.getOpType().equals("Pad")) {
                    while (b.getInputCount() < 3) {
                        b.addInput("");
                    }
                    b.setInput(2, root + "_zero_point");
                }
            } else if (!kept.contains(n.getName())) {
                for (int i = 0; i < b.getInputCount(); i++) {
                    String dq = dequantized.get(b.getInput(i));
                    if (dq != null) {
                        b.setInput(i, dq);
                    }
                }
            }
            if (chain != null) {
                if (!chain.nodes().isEmpty()) {
                    String in = n.getInput(0);
                    nodes.add(node("DequantizeLinear", OnnxBuilder.nodeName(scopeOf(n.getName()), in + "_dequantize"),
                            List.of(in, chain.root() + "_scale", chain.root() + "_zero_point"), in + "_dq", -1));
                    b.setInput(0, in + "_dq");
                }
                quantizeWeights(n, b, inits, nodes, newInits, dropped);
            }
            nodes.add(b.build());
            for (String out : n.getOutputList()) {
                quantizeValue(out, scopeOf(n.getName()), params, scheme, dequantized, quantizedRoots, nodes, newInits, withParams);
            }
        }
        OnnxMl.GraphProto.Builder ng = g.toBuilder().clearNode().addAllNode(nodes).clearInitializer();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (!dropped.contains(t.getName())) {
                ng.addInitializer(t);
            }
        }
        ng.addAllInitializer(newInits);
        return new Result(model.toBuilder().setGraph(ng).build(), params);
    }

    /** After {@code t} is produced: its QuantizeLinear (when quantized) and its DequantizeLinear (when read back as float). */
    private static void quantizeValue(String t, String scope, Map<String, ActivationScheme.Params> params, ActivationScheme scheme,
                                      Map<String, String> dequantized, Set<String> quantizedRoots, List<OnnxMl.NodeProto> nodes,
                                      List<OnnxMl.TensorProto> inits, Set<String> withParams) {
        boolean back = dequantized.containsKey(t);
        if (!back && !quantizedRoots.contains(t)) {
            return;
        }
        ActivationScheme.Params p = params.get(t);
        String scale = t + "_scale";
        String zp = t + "_zero_point";
        if (withParams.add(t)) {
            inits.add(OnnxTensors.float32(scale, new float[] {p.scale()}));
            inits.add(scheme == ActivationScheme.S8 ? OnnxTensors.int8(zp, new byte[] {(byte) p.zeroPoint()})
                    : OnnxTensors.uint8(zp, new byte[] {(byte) p.zeroPoint()}));
        }
        nodes.add(node("QuantizeLinear", OnnxBuilder.nodeName(scope, t + "_quantize"), List.of(t, scale, zp), t + "_q", -1));
        if (back) {
            nodes.add(node("DequantizeLinear", OnnxBuilder.nodeName(scope, t + "_dequantize"), List.of(t + "_q", scale, zp), t + "_dq", -1));
        }
    }

    /**
     * The outcome.
     *
     * @param model the INT8 model
     * @param activations scale and zero point per quantized activation tensor
     */
    public record Result(OnnxMl.ModelProto model, Map<String, ActivationScheme.Params> activations) {
    }

    /** The layer a node was exported in, or "" (new nodes take the same scope). */
    private static String scopeOf(String nodeName) {
        return OnnxBuilder.layerOf(nodeName).orElse("");
    }

    /** A QuantizeLinear or DequantizeLinear node; {@code axis} -1 for per-tensor parameters (no axis attribute). */
    private static OnnxMl.NodeProto node(String op, String name, List<String> inputs, String output, int axis) {
        return OnnxNodes.node(op, name, inputs, output, axis >= 0 ? Map.of("axis", (long) axis) : Map.of());
    }

    /** Replaces the Conv's weight input by a DequantizeLinear node of an int8 initializer. */
    private static void quantizeWeights(OnnxMl.NodeProto n, OnnxMl.NodeProto.Builder b, Map<String, OnnxMl.TensorProto> inits,
                                        List<OnnxMl.NodeProto> nodes, List<OnnxMl.TensorProto> newInits, Set<String> dropped) {
        String scope = scopeOf(n.getName());
        OnnxMl.TensorProto w = inits.get(n.getInput(1));
        if (w == null) {
            throw new IllegalArgumentException("node " + n.getName() + ": weight " + n.getInput(1) + " is not an initializer");
        }
        long[] dims = w.getDimsList().stream().mapToLong(Long::longValue).toArray();
        float[] values = Tensors.floats(w);
        int outputs = (int) dims[0];
        int per = values.length / outputs;
        float[] scales = new float[outputs];
        byte[] q = new byte[values.length];
        for (int o = 0; o < outputs; o++) {
            float amax = 0;
            for (int i = 0; i < per; i++) {
                amax = Math.max(amax, Math.abs(values[o * per + i]));
            }
            scales[o] = amax > 0 ? amax / 127f : 1f;
            for (int i = 0; i < per; i++) {
                q[o * per + i] = (byte) Math.max(-127, Math.min(127, Math.round(values[o * per + i] / scales[o])));
            }
        }
        String wq = w.getName() + "_quantized";
        newInits.add(OnnxTensors.int8(wq, q, dims));
        newInits.add(OnnxTensors.float32(w.getName() + "_scale", scales, outputs));
        newInits.add(OnnxTensors.int8(w.getName() + "_zero_point", new byte[outputs], outputs));
        nodes.add(node("DequantizeLinear", OnnxBuilder.nodeName(scope, w.getName() + "_dequantize"), List.of(wq, w.getName() + "_scale", w.getName() + "_zero_point"),
                w.getName() + "_dq", 0));
        b.setInput(1, w.getName() + "_dq");
        dropped.add(w.getName());
    }
}
