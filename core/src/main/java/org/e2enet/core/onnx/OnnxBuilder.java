package org.e2enet.core.onnx;

import org.e2enet.onnx.proto.OnnxMl;
import java.util.List;
import java.util.Map;
import org.e2enet.onnx.proto.OnnxMl;

/**
 * Builds an ONNX graph (IR 8, opset 17, standard operators only) from nodes and initializers, with unique
 * value names. Nodes and initializers are made by {@link OnnxNodes} and {@link OnnxTensors}, which rewrites of a
 * built graph (calibration) use too.
 */
public final class OnnxBuilder {
    /** IR version Debian's onnx 1.12 still accepts. */
    public static final long IR_VERSION = 8;
    /** Operator set. */
    public static final long OPSET = 17;
    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private int counter;
    private long storedParameters;
    private String scope = "";

    /** @param name the graph's name */
    public OnnxBuilder(String name) {
        graph.setName(name);
    }

    /** A fresh value name with a readable prefix. */
    public String fresh(String prefix) {
        return prefix + "_" + (counter++);
    }

    /** Adds a float32 initializer (counted as stored parameters). */
    public String floats(String name, float[] data, long... dims) {
        graph.addInitializer(OnnxTensors.float32(name, data, dims));
        storedParameters += data.length;
        return name;
    }

    /** Adds an int8 initializer (quantized weights and zero points). */
    public String int8s(String name, byte[] values, long... dims) {
        graph.addInitializer(OnnxTensors.int8(name, values, dims));
        return name;
    }

    /** Adds a one-dimensional int64 initializer (indices, shapes: not parameters). */
    public String int64s(String name, long... values) {
        graph.addInitializer(OnnxTensors.int64(name, values, values.length));
        return name;
    }

    /**
     * A node's name in a layer's scope: {@code {layer}/{rest}}, or {@code rest} alone for the empty layer. The one place
     * node names are put together; {@link #layerOf(String)} the one place they are taken apart.
     *
     * @param layer the exported layer, or ""
     * @param rest the rest of the name
     * @return the node's name
     */
    public static String nodeName(String layer, String rest) {
        return layer.isEmpty() ? rest : layer + "/" + rest;
    }

    /**
     * @param nodeName a node's name
     * @return the layer whose scope it was built in ({@link #nodeName}), or empty for a node outside any layer
     */
    public static java.util.Optional<String> layerOf(String nodeName) {
        int slash = nodeName.lastIndexOf('/');
        return slash < 0 ? java.util.Optional.empty() : java.util.Optional.of(nodeName.substring(0, slash));
    }

    /**
     * Names the nodes added from now on {@code {layer}/{op}_{n}_node}, so that a profile of the graph adds up per
     * exported layer; the empty string names them {@code {op}_{n}_node}. Returns the previous scope.
     */
    public String scope(String layer) {
        String previous = scope;
        scope = layer;
        return previous;
    }

    /** Adds a node with one output; returns the output's name. */
    public String node(String op, String[] inputs, Map<String, Object> attributes) {
        String out = fresh(op.toLowerCase(java.util.Locale.ROOT));
        graph.addNode(OnnxNodes.node(op, nodeName(scope, out + "_node"), List.of(inputs), out, attributes));
        return out;
    }

    /** Renames the value {@code from} to {@code to} through an Identity node. */
    public void output(String from, String to) {
        graph.addNode(OnnxNodes.node("Identity", to + "_identity", List.of(from), to, Map.of()));
    }

    /** Declares a float32 graph input; a dim given as a String is symbolic (named), a number fixed. */
    public void declareInput(String name, Object... dims) {
        graph.addInput(floatValue(name, dims));
    }

    /** Declares a float32 graph output; dims as for {@link #declareInput}. */
    public void declareOutput(String name, Object... dims) {
        graph.addOutput(floatValue(name, dims));
    }

    private static OnnxMl.ValueInfoProto floatValue(String name, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String s) {
                shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(s));
            } else {
                shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
            }
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape))).build();
    }

    /** float32 values stored in initializers so far. */
    public long storedParameters() {
        return storedParameters;
    }

    /** The model with its metadata. */
    public OnnxMl.ModelProto build(Map<String, String> metadata) {
        OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("e2enet")
                .setProducerVersion("0.1.0").setGraph(graph)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }
}
