package org.e2enet.core.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.e2enet.onnx.proto.OnnxMl;

/**
 * Counts what an exported E2ENet graph really computes, from the graph itself: shapes are propagated from
 * the input through the operators the exporter emits (Conv, ConvTranspose, Gather, Slice, Pad, Concat,
 * MaxPool, InstanceNormalization, LeakyRelu, Reshape to a constant shape, Transpose, DepthToSpace, Identity,
 * and the QuantizeLinear, DequantizeLinear and Cast nodes of calibrated models), and FLOPs are 2 x the
 * multiply-adds of every Conv and ConvTranspose (the true FLOPs of docs/network.md#accounting). Parameters are the values of the
 * weight initializers (float32, float16 or int8; not the int64 indices and shapes, the quantization scales and
 * zero points, or int32 biases).
 *
 * @param trueFlops 2 x multiply-adds of all convolutions for the given input shape
 * @param storedParams float32 values stored in initializers
 * @param outputShape the shape of the graph's first output
 */
public record OnnxGraphStats(long trueFlops, long storedParams, long[] outputShape) {

    /**
     * Statistics for an input of {@code inputShape} (N, C, D, H, W).
     *
     * @throws IllegalArgumentException when the graph is not one the exporter could have written (unknown
     *     operator, missing initializer or attribute, inconsistent shapes)
     */
    public static OnnxGraphStats of(OnnxMl.ModelProto model, long[] inputShape) {
        return of(model, inputShape, new HashMap<>());
    }

    /**
     * The shape of every value of the graph (node outputs, graph input, initializers) for an input of {@code
     * inputShape}; the same checks as {@link #of}.
     */
    public static Map<String, long[]> valueShapes(OnnxMl.ModelProto model, long[] inputShape) {
        Map<String, long[]> shapes = new HashMap<>();
        of(model, inputShape, shapes);
        return shapes;
    }

    private static OnnxGraphStats of(OnnxMl.ModelProto model, long[] inputShape, Map<String, long[]> shapes) {
        try {
            return count(model, inputShape, shapes);
        } catch (NullPointerException | IndexOutOfBoundsException | java.nio.BufferUnderflowException | ArithmeticException
                 | NegativeArraySizeException e) {
            throw new IllegalArgumentException("the graph is malformed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static OnnxGraphStats count(OnnxMl.ModelProto model, long[] inputShape, Map<String, long[]> shapes) {
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, long[]> ints = new HashMap<>();
        long params = 0;
        java.util.Set<String> quantization = quantizationParameters(g);
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            shapes.put(t.getName(), dims);
            if (t.getDataType() == OnnxMl.TensorProto.DataType.INT64.getNumber()) {
                // sized by the data actually present, never by the dims a file claims
                long claimed = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
                if (claimed != t.getRawData().size() / 8 || t.getRawData().size() % 8 != 0) {
                    throw new IllegalArgumentException("int64 initializer " + t.getName() + " holds " + t.getRawData().size()
                            + " bytes for dims " + Arrays.toString(dims));
                }
                long[] v = new long[(int) claimed];
                ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
                ints.put(t.getName(), v);
            } else if (isWeightType(t.getDataType()) && !quantization.contains(t.getName())) {
                params += Arrays.stream(dims).reduce(1, (a, b) -> a * b);
            }
        }
        shapes.put(g.getInput(0).getName(), inputShape.clone());
        long flops = 0;
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            long[] x = shapes.get(n.getInput(0));
            if (x == null) {
                throw new IllegalArgumentException("node " + n.getName() + ": unknown input shape of " + n.getInput(0));
            }
            long[] out;
            switch (n.getOpType()) {
                case "Conv" -> {
                    long[] w = shapes.get(n.getInput(1));
                    long[] k = ints(n, "kernel_shape", new long[] {w[2], w[3], w[4]});
                    long[] s = ints(n, "strides", new long[] {1, 1, 1});
                    long[] p = ints(n, "pads", new long[6]);
                    out = new long[] {x[0], w[0], 0, 0, 0};
                    long vox = 1;
                    for (int a = 0; a < 3; a++) {
                        out[2 + a] = (x[2 + a] + p[a] + p[a + 3] - k[a]) / s[a] + 1;
                        vox *= out[2 + a];
                    }
                    flops += 2 * x[0] * w[0] * w[1] * w[2] * w[3] * w[4] * vox;
                }
                case "ConvTranspose" -> {
                    long[] w = shapes.get(n.getInput(1));
                    long group = ints(n, "group", new long[] {1})[0];
                    long[] s = ints(n, "strides", new long[] {1, 1, 1});
                    out = new long[] {x[0], w[1] * group, 0, 0, 0};
                    long vox = 1;
                    for (int a = 0; a < 3; a++) {
                        out[2 + a] = (x[2 + a] - 1) * s[a] + w[2 + a];
                        vox *= x[2 + a];
                    }
                    flops += 2 * x[0] * w[0] * w[1] * w[2] * w[3] * w[4] * vox;
                }
                case "Gather" -> {
                    out = x.clone();
                    out[(int) ints(n, "axis", new long[] {0})[0]] = ints.get(n.getInput(1)).length;
                }
                case "Slice" -> {
                    out = x.clone();
                    long[] axes = ints.get(n.getInput(3));
                    for (int k = 0; k < axes.length; k++) {
                        int axis = (int) axes[k];
                        long dim = x[axis];
                        long start = clamp(ints.get(n.getInput(1))[k], dim);
                        long end = clamp(ints.get(n.getInput(2))[k], dim);
                        out[axis] = Math.max(0, end - start);
                    }
                }
                case "Pad" -> {
                    long[] pads = ints.get(n.getInput(1));
                    out = x.clone();
                    for (int a = 0; a < out.length; a++) {
                        out[a] += pads[a] + pads[a + out.length];
                    }
                }
                case "Concat" -> {
                    out = x.clone();
                    int axis = (int) ints(n, "axis", new long[] {0})[0];
                    out[axis] = 0;
                    for (String in : n.getInputList()) {
                        out[axis] += shapes.get(in)[axis];
                    }
                }
                case "MaxPool" -> {
                    long[] k = ints(n, "kernel_shape", null);
                    long[] s = ints(n, "strides", k);
                    out = x.clone();
                    for (int a = 0; a < 3; a++) {
                        out[2 + a] = (x[2 + a] - k[a]) / s[a] + 1;
                    }
                }
                case "Reshape" -> out = reshaped(n, x, ints.get(n.getInput(1)));
                case "Transpose" -> {
                    long[] perm = ints(n, "perm", null);
                    if (perm.length != x.length) {
                        throw new IllegalArgumentException("node " + n.getName() + ": perm " + Arrays.toString(perm) + " for a "
                                + x.length + "-D input");
                    }
                    out = new long[x.length];
                    for (int a = 0; a < out.length; a++) {
                        out[a] = x[(int) perm[a]];
                    }
                }
                case "DepthToSpace" -> {
                    long b = ints(n, "blocksize", null)[0];
                    if (x.length != 4 || b < 1 || x[1] % (b * b) != 0) {
                        throw new IllegalArgumentException("node " + n.getName() + ": DepthToSpace of block " + b + " on " + Arrays.toString(x));
                    }
                    out = new long[] {x[0], x[1] / (b * b), Math.multiplyExact(x[2], b), Math.multiplyExact(x[3], b)};
                }
                case "InstanceNormalization", "LeakyRelu", "Identity", "QuantizeLinear", "DequantizeLinear", "Cast" -> out = x.clone();
                default -> throw new IllegalArgumentException("node " + n.getName() + ": operator " + n.getOpType()
                        + " is not one the E2ENet exporter emits");
            }
            shapes.put(n.getOutput(0), out);
        }
        return new OnnxGraphStats(flops, params, shapes.get(g.getOutput(0).getName()));
    }

    private static boolean isWeightType(int type) {
        return type == OnnxMl.TensorProto.DataType.FLOAT.getNumber() || type == OnnxMl.TensorProto.DataType.FLOAT16.getNumber()
                || type == OnnxMl.TensorProto.DataType.INT8.getNumber();
    }

    /** The scales and zero points of the QuantizeLinear/DequantizeLinear nodes (inputs 1 and 2). */
    private static java.util.Set<String> quantizationParameters(OnnxMl.GraphProto g) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("QuantizeLinear") || n.getOpType().equals("DequantizeLinear")) {
                out.addAll(n.getInputList().subList(1, n.getInputCount()));
            }
        }
        return out;
    }

    /** The shape a Reshape to the constant {@code target} (positive sizes and at most one -1) gives {@code x}. */
    private static long[] reshaped(OnnxMl.NodeProto n, long[] x, long[] target) {
        long[] out = target.clone();
        long total = Arrays.stream(x).reduce(1, Math::multiplyExact);
        long known = 1;
        int free = -1;
        for (int a = 0; a < out.length; a++) {
            if (out[a] == -1 && free < 0) {
                free = a;
            } else if (out[a] > 0) {
                known = Math.multiplyExact(known, out[a]);
            } else {
                throw new IllegalArgumentException("node " + n.getName() + ": reshape to " + Arrays.toString(target));
            }
        }
        if (free >= 0) {
            out[free] = total / known;
        }
        if (Arrays.stream(out).reduce(1, Math::multiplyExact) != total) {
            throw new IllegalArgumentException("node " + n.getName() + ": cannot reshape " + Arrays.toString(x) + " to "
                    + Arrays.toString(target));
        }
        return out;
    }

    private static long clamp(long v, long dim) {
        long r = v < 0 ? v + dim : v;
        return Math.max(0, Math.min(dim, r));
    }

    private static long[] ints(OnnxMl.NodeProto n, String name, long[] fallback) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsCount() > 0 ? a.getIntsList().stream().mapToLong(Long::longValue).toArray() : new long[] {a.getI()};
            }
        }
        return fallback;
    }
}
