package org.e2enet.calibration;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites an FP32 E2ENet graph into explicit INT8 (QDQ format): every convolution not kept in FP32 reads its
 * input through a QuantizeLinear/DequantizeLinear pair with the calibrated per-tensor scale, its weights as
 * int8 per output channel (symmetric, zero point 0, axis 0) through a DequantizeLinear, and its output goes
 * through a QuantizeLinear/DequantizeLinear pair too; the bias stays float32. That is the pattern ONNX Runtime
 * fuses into an integer convolution (it quantizes a float bias itself: measured, the same QLinearConv nodes and
 * the same time as an int32 bias behind a DequantizeLinear) and TensorRT reads as explicit quantization (its
 * parser takes int8 Q/DQ only, not an int32 bias). Normalisation, activation, the depth shift's Pad/Slice/Concat and the transposed convolutions'
 * interleaving stay FP32 between the pairs. Standard ONNX operators only (opset 17).
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

    /** The activation tensors whose ranges quantizing the nodes other than {@code kept} needs: each convolution's input and output. */
    public static Set<String> tensorsToObserve(OnnxMl.ModelProto model, Set<String> kept) {
        Set<String> out = new LinkedHashSet<>();
        for (OnnxMl.NodeProto n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("Conv") && !kept.contains(n.getName())) {
                out.add(n.getInput(0));
                out.add(n.getOutput(0));
            }
        }
        return out;
    }

    /**
     * The INT8 model.
     *
     * @param model the FP32 graph
     * @param ranges a range for every tensor {@link #tensorsToObserve} names
     * @param kept convolutions left FP32 (node names)
     * @param scheme how activations are stored
     * @return the quantized model (same metadata) and the activation parameters chosen per tensor, in graph order
     */
    public static Result quantize(OnnxMl.ModelProto model, Map<String, ActivationRange> ranges, Set<String> kept, ActivationScheme scheme) {
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, OnnxMl.TensorProto> inits = new LinkedHashMap<>();
        g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        Set<String> tensors = tensorsToObserve(model, kept);
        Map<String, ActivationScheme.Params> params = new LinkedHashMap<>();
        for (String t : tensors) {
            ActivationRange r = ranges.get(t);
            if (r == null) {
                throw new IllegalArgumentException("no activation range for tensor " + t);
            }
            params.put(t, scheme.params(r));
        }
        Map<String, String> dequantized = new HashMap<>();
        for (String t : tensors) {
            dequantized.put(t, t + "_dq");
        }
        List<OnnxMl.TensorProto> newInits = new ArrayList<>();
        Set<String> dropped = new LinkedHashSet<>();
        List<OnnxMl.NodeProto> nodes = new ArrayList<>();
        String input = g.getInput(0).getName();
        if (tensors.contains(input)) {
            addPair(nodes, newInits, input, params.get(input), scheme, "");
        }
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            OnnxMl.NodeProto.Builder b = n.toBuilder();
            boolean keep = kept.contains(n.getName());
            if (!keep) {
                for (int i = 0; i < b.getInputCount(); i++) {
                    String dq = dequantized.get(b.getInput(i));
                    if (dq != null) {
                        b.setInput(i, dq);
                    }
                }
            }
            if (n.getOpType().equals("Conv") && !keep) {
                quantizeWeights(n, b, inits, nodes, newInits, dropped);
            }
            nodes.add(b.build());
            for (String out : n.getOutputList()) {
                if (tensors.contains(out)) {
                    addPair(nodes, newInits, out, params.get(out), scheme, scopeOf(n.getName()));
                }
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

    /**
     * The outcome.
     *
     * @param model the INT8 model
     * @param activations scale and zero point per quantized activation tensor
     */
    public record Result(OnnxMl.ModelProto model, Map<String, ActivationScheme.Params> activations) {
    }

    private static String scopeOf(String nodeName) {
        int slash = nodeName.lastIndexOf('/');
        return slash < 0 ? "" : nodeName.substring(0, slash + 1);
    }

    /** QuantizeLinear then DequantizeLinear of {@code t}, producing {@code t_dq}. */
    private static void addPair(List<OnnxMl.NodeProto> nodes, List<OnnxMl.TensorProto> inits, String t, ActivationScheme.Params p,
                                ActivationScheme scheme, String scope) {
        String scale = t + "_scale";
        String zp = t + "_zero_point";
        inits.add(Tensors.float32(scale, new float[] {p.scale()}));
        inits.add(scheme == ActivationScheme.S8 ? Tensors.int8(zp, new byte[] {(byte) p.zeroPoint()})
                : Tensors.uint8(zp, new byte[] {(byte) p.zeroPoint()}));
        nodes.add(node("QuantizeLinear", scope + t + "_quantize", List.of(t, scale, zp), t + "_q", -1));
        nodes.add(node("DequantizeLinear", scope + t + "_dequantize", List.of(t + "_q", scale, zp), t + "_dq", -1));
    }

    private static OnnxMl.NodeProto node(String op, String name, List<String> inputs, String output, int axis) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
        if (axis >= 0) {
            n.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(axis));
        }
        return n.build();
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
        newInits.add(Tensors.int8(wq, q, dims));
        newInits.add(Tensors.float32(w.getName() + "_scale", scales, outputs));
        newInits.add(Tensors.int8(w.getName() + "_zero_point", new byte[outputs], outputs));
        nodes.add(node("DequantizeLinear", scope + w.getName() + "_dequantize", List.of(wq, w.getName() + "_scale", w.getName() + "_zero_point"),
                w.getName() + "_dq", 0));
        b.setInput(1, w.getName() + "_dq");
        dropped.add(w.getName());
    }
}
