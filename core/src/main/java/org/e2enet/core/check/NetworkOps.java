package org.e2enet.core.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Topology;
import org.e2enet.core.spec.UnitBlock;
import org.e2enet.onnx.proto.OnnxMl;

/** Every distinct operation shape a network runs, read off its {@link Topology}: what an engine check covers. */
public final class NetworkOps {
    private NetworkOps() {
    }

    /** The distinct operations of {@code spec}, in evaluation order. */
    public static List<OpCase> of(ModelSpec spec) {
        return of(List.of(spec));
    }

    /** The distinct operations of all {@code specs}, in evaluation order, each once. */
    public static List<OpCase> of(Collection<ModelSpec> specs) {
        Set<OpCase> out = new LinkedHashSet<>();
        for (ModelSpec spec : specs) {
            for (Topology.Step step : spec.topology().steps()) {
                if (step instanceof Topology.Encoder e) {
                    unit(out, spec, e.first());
                    unit(out, spec, e.second());
                } else if (step instanceof Topology.Fusion f) {
                    out.add(OpCase.transposedConv(f.up().inChannels(), f.up().outChannels(), f.up().stride()));
                    if (f.hasAbove()) {
                        out.add(OpCase.maxPool(f.partWidths()[2], f.abovePool()));
                    }
                    unit(out, spec, f.conv());
                    if (f.second() != null) {
                        unit(out, spec, f.second());
                    }
                } else if (step instanceof Topology.Head h) {
                    out.add(OpCase.head(h.layer().inChannels(), h.layer().outChannels()));
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** A Unit: depth shift, (1,3,3) conv, instance norm, LeakyReLU. */
    private static void unit(Set<OpCase> out, ModelSpec spec, Layer layer) {
        out.add(OpCase.depthShift(layer.inChannels(), spec.shiftGroups()));
        out.add(OpCase.conv(layer.inChannels(), layer.outChannels(), UnitBlock.kernel(), layer.stride(), UnitBlock.padding()));
        out.add(OpCase.instanceNorm(layer.outChannels()));
        out.add(OpCase.leakyRelu(layer.outChannels()));
    }

    /**
     * The distinct operations of an exported graph, at its own (pruned) channel counts, read from its nodes:
     * Conv (with bias, or a 1x1x1 head without), ConvTranspose and MaxPool whose kernel equals their stride,
     * InstanceNormalization and LeakyRelu. Grouped convolutions and the depth shift's Slice/Concat/Pad data
     * movement are left out.
     */
    public static GraphOps of(E2eNetOnnx onnx) {
        int[] skipped = {0};
        Map<String, long[]> shapes = onnx.valueShapesAtPatch();
        Set<OpCase> out = new LinkedHashSet<>();
        for (OnnxMl.NodeProto n : onnx.model().getGraph().getNodeList()) {
            long[] x = n.getInputCount() == 0 ? null : shapes.get(n.getInput(0));
            if (x == null || x.length != 5) {
                continue;
            }
            int c = (int) x[1];
            switch (n.getOpType()) {
                case "Conv" -> {
                    long[] w = shapes.get(n.getInput(1));
                    int[] k = ints(n, "kernel_shape", new int[] {(int) w[2], (int) w[3], (int) w[4]});
                    int[] pads = ints(n, "pads", new int[6]);
                    if (ints(n, "group", new int[] {1})[0] != 1 || w[1] != c || pads[0] != pads[3] || pads[1] != pads[4] || pads[2] != pads[5]) {
                        skipped[0]++;
                    } else if (n.getInputCount() < 3 && k[0] * k[1] * k[2] == 1) {
                        out.add(OpCase.head(c, (int) w[0]));
                    } else if (n.getInputCount() == 3) {
                        out.add(OpCase.conv(c, (int) w[0], k, ints(n, "strides", new int[] {1, 1, 1}), new int[] {pads[0], pads[1], pads[2]}));
                    } else {
                        skipped[0]++;
                    }
                }
                case "ConvTranspose" -> {
                    long[] w = shapes.get(n.getInput(1));
                    int[] k = ints(n, "kernel_shape", new int[] {(int) w[2], (int) w[3], (int) w[4]});
                    if (n.getInputCount() == 2 && java.util.Arrays.equals(k, ints(n, "strides", new int[] {1, 1, 1}))) {
                        out.add(OpCase.transposedConv(c, (int) w[1], k));
                    } else {
                        skipped[0]++;
                    }
                }
                case "MaxPool" -> {
                    int[] k = ints(n, "kernel_shape", null);
                    if (java.util.Arrays.equals(k, ints(n, "strides", new int[] {1, 1, 1}))) {
                        out.add(OpCase.maxPool(c, k));
                    } else {
                        skipped[0]++;
                    }
                }
                case "InstanceNormalization" -> out.add(OpCase.instanceNorm(c));
                case "LeakyRelu" -> out.add(OpCase.leakyRelu(c));
                default -> {
                }
            }
        }
        return new GraphOps(new ArrayList<>(out), skipped[0]);
    }

    /**
     * The operations read from an exported graph.
     *
     * @param ops the distinct operations covered
     * @param skippedNodes convolution and pooling nodes of a form the check does not cover (grouped, asymmetric padding)
     */
    public record GraphOps(List<OpCase> ops, int skippedNodes) {
    }

    private static int[] ints(OnnxMl.NodeProto n, String name, int[] otherwise) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsCount() > 0 ? a.getIntsList().stream().mapToInt(Long::intValue).toArray() : new int[] {(int) a.getI()};
            }
        }
        return otherwise;
    }
}
