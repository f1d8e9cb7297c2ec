package org.e2enet.calibration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.e2enet.onnx.proto.OnnxMl;
import org.e2enet.core.onnx.OnnxNodes;

/**
 * Rewrites an FP32 E2ENet graph to float16: weights stored as float16, activations computed in float16, except
 * the nodes kept FP32 (InstanceNormalization always: its variance of float16 activations over a 3D tile
 * overflows), which read float32 through Cast nodes and hand float16 back. The model's input and output stay
 * float32 (a Cast after the input, one before the output), so the runtime API is unchanged.
 */
public final class Fp16Converter {
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
    private static final int FLOAT16 = OnnxMl.TensorProto.DataType.FLOAT16.getNumber();

    private Fp16Converter() {
    }

    /** Operators that always stay FP32. */
    public static final Set<String> ALWAYS_FP32 = Set.of("InstanceNormalization");

    /** The nodes of {@code model} that stay FP32 whatever the user asks: every {@link #ALWAYS_FP32} node. */
    public static List<String> alwaysKept(OnnxMl.ModelProto model) {
        List<String> out = new ArrayList<>();
        for (OnnxMl.NodeProto n : model.getGraph().getNodeList()) {
            if (ALWAYS_FP32.contains(n.getOpType())) {
                out.add(n.getName());
            }
        }
        return out;
    }

    /** The FP16 model, with the nodes named in {@code kept} (and every {@link #ALWAYS_FP32} node) in FP32. */
    public static OnnxMl.ModelProto convert(OnnxMl.ModelProto model, Set<String> kept) {
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, OnnxMl.TensorProto> inits = new LinkedHashMap<>();
        g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        Map<String, Boolean> initUsedFp32 = new HashMap<>();
        Map<String, Boolean> initUsedFp16 = new HashMap<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            boolean fp32 = isKept(n, kept);
            for (String in : n.getInputList()) {
                if (inits.containsKey(in)) {
                    (fp32 ? initUsedFp32 : initUsedFp16).put(in, true);
                }
            }
        }
        String input = g.getInput(0).getName();
        String output = g.getOutput(0).getName();
        List<OnnxMl.NodeProto> nodes = new ArrayList<>();
        // values: float16 unless produced by a kept node; the graph input is float32 until cast
        Map<String, String> asHalf = new HashMap<>();
        Map<String, String> asFloat = new HashMap<>();
        asFloat.put(input, input);
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            boolean fp32 = isKept(n, kept);
            OnnxMl.NodeProto.Builder b = n.toBuilder();
            for (int i = 0; i < n.getInputCount(); i++) {
                String in = n.getInput(i);
                if (in.isEmpty() || inits.containsKey(in) && inits.get(in).getDataType() != FLOAT) {
                    continue;
                }
                if (inits.containsKey(in)) {
                    b.setInput(i, fp32 || !initUsedFp16.containsKey(in) ? in : in + "_fp16");
                    continue;
                }
                b.setInput(i, fp32 ? value(in, asFloat, asHalf, FLOAT, nodes) : value(in, asHalf, asFloat, FLOAT16, nodes));
            }
            nodes.add(b.build());
            for (String out : n.getOutputList()) {
                (fp32 ? asFloat : asHalf).put(out, out);
            }
        }
        // the graph output: produced in either type, returned as float32
        OnnxMl.NodeProto last = nodes.get(nodes.size() - 1);
        if (!last.getOutput(0).equals(output)) {
            throw new IllegalArgumentException("the graph's last node does not produce its output " + output);
        }
        if (!isKept(g.getNode(g.getNodeCount() - 1), kept)) {
            String half = output + "_fp16";
            nodes.set(nodes.size() - 1, last.toBuilder().setOutput(0, half).build());
            nodes.add(cast(half, output, FLOAT, last.getName() + "_to_fp32"));
        }
        OnnxMl.GraphProto.Builder ng = g.toBuilder().clearNode().addAllNode(nodes).clearInitializer();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            boolean convert = t.getDataType() == FLOAT && initUsedFp16.containsKey(t.getName());
            if (!convert || initUsedFp32.containsKey(t.getName())) {
                ng.addInitializer(t);
            }
            if (convert) {
                long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
                ng.addInitializer(Tensors.float16(t.getName() + "_fp16", Tensors.floats(t), dims));
            }
        }
        return model.toBuilder().setGraph(ng).build();
    }

    private static boolean isKept(OnnxMl.NodeProto n, Set<String> kept) {
        return ALWAYS_FP32.contains(n.getOpType()) || kept.contains(n.getName());
    }

    /** The name of {@code v} in the wanted type: itself when already there, else a Cast added once. */
    private static String value(String v, Map<String, String> wanted, Map<String, String> other, int type, List<OnnxMl.NodeProto> nodes) {
        String have = wanted.get(v);
        if (have != null) {
            return have;
        }
        String source = other.get(v);
        if (source == null) {
            throw new IllegalArgumentException("value " + v + " is used before it is produced");
        }
        String cast = v + (type == FLOAT ? "_fp32" : "_fp16");
        nodes.add(cast(source, cast, type, v + (type == FLOAT ? "_to_fp32" : "_to_fp16")));
        wanted.put(v, cast);
        return cast;
    }

    private static OnnxMl.NodeProto cast(String from, String to, int type, String name) {
        return OnnxNodes.node("Cast", name, List.of(from), to, Map.of("to", (long) type));
    }
}
