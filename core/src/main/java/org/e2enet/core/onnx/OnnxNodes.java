package org.e2enet.core.onnx;

import org.e2enet.onnx.proto.OnnxMl;
import org.e2enet.shaded.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one way e2enet makes ONNX nodes and their attributes: the exporter's {@link OnnxBuilder} and calibration's
 * rewrites (Q/DQ pairs, Casts) build them here, so a node's fields are set the same way everywhere.
 */
public final class OnnxNodes {
    private OnnxNodes() {
    }

    /**
     * A node with one output.
     *
     * @param op the operator type
     * @param name the node's name
     * @param inputs its inputs, in order
     * @param output its output
     * @param attributes its attributes by name (Integer, Long, Float, long[] or String values), added sorted by name so
     *     that the same node always has the same bytes
     * @return the node
     */
    public static OnnxMl.NodeProto node(String op, String name, List<String> inputs, String output, Map<String, Object> attributes) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
        new TreeMap<>(attributes).forEach((k, v) -> n.addAttribute(attribute(k, v)));
        return n.build();
    }

    /**
     * An attribute.
     *
     * @param name its name
     * @param v an Integer or Long (INT), Float (FLOAT), long[] (INTS) or String (STRING)
     * @return the attribute
     * @throws IllegalArgumentException for any other value
     */
    public static OnnxMl.AttributeProto attribute(String name, Object v) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
        if (v instanceof Integer i) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(i);
        } else if (v instanceof Long l) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(l);
        } else if (v instanceof Float f) {
            a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(f);
        } else if (v instanceof long[] ls) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (long l : ls) {
                a.addInts(l);
            }
        } else if (v instanceof String s) {
            a.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else {
            throw new IllegalArgumentException("unsupported attribute " + name + " = " + v);
        }
        return a.build();
    }
}
