package org.e2enet.runtime.engine;

import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.Backend;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.e2enet.core.check.OpCase;
import org.e2enet.core.check.OpEngine;
import org.e2enet.core.check.OpInputs;
import org.e2enet.core.check.Quantity;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.core.spec.UnitBlock;

/**
 * The inference engine under check: each operation as the one-node ONNX graph the exporter emits for it, run
 * by ONNX Runtime on one backend with the project's session settings (those of every segmentation).
 */
final class OrtOpEngine implements OpEngine {
    private final Backend backend;
    private final BackendOptions options;

    OrtOpEngine(Backend backend, BackendOptions options) {
        this.backend = backend;
        this.options = options;
    }

    @Override
    public Map<Quantity, float[]> run(OpCase op, OpInputs in, boolean gradients) {
        if (gradients) {
            throw new IllegalArgumentException("ONNX Runtime is an inference engine: no gradients to check");
        }
        byte[] model = graph(op, in).toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int[] s = op.inputShape();
        try (OrtSession session = OrtEngine.session(backend, options, null, null, (e, o) -> e.createSession(model, o));
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.x()), new long[] {s[0], s[1], s[2], s[3], s[4]});
             OrtSession.Result r = session.run(Map.of("x", x))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] y = new float[fb.remaining()];
            fb.get(y);
            Map<Quantity, float[]> out = new EnumMap<>(Quantity.class);
            out.put(Quantity.FORWARD, y);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException(backend.label() + " failed on " + op.label() + ": " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    /** The one-node graph of {@code op}, its weights as initializers. */
    static org.e2enet.onnx.proto.OnnxMl.ModelProto graph(OpCase op, OpInputs in) {
        OnnxBuilder b = new OnnxBuilder("engine-check");
        int[] xs = op.inputShape();
        int[] ys = op.outputShape();
        b.declareInput("x", xs[0], xs[1], xs[2], xs[3], xs[4]);
        long[] wdims = longs(op.weightShape());
        Map<String, Object> attrs = new HashMap<>();
        List<String> inputs = new java.util.ArrayList<>(List.of("x"));
        String type = switch (op.kind()) {
            case CONV, HEAD -> {
                inputs.add(b.floats("w", in.weight(), wdims));
                if (op.hasBias()) {
                    inputs.add(b.floats("b", in.bias(), in.bias().length));
                }
                attrs.put("kernel_shape", longs(op.kernel()));
                attrs.put("strides", longs(op.stride()));
                int[] p = op.padding();
                attrs.put("pads", new long[] {p[0], p[1], p[2], p[0], p[1], p[2]});
                yield "Conv";
            }
            case TRANSPOSED_CONV -> {
                inputs.add(b.floats("w", in.weight(), wdims));
                attrs.put("kernel_shape", longs(op.kernel()));
                attrs.put("strides", longs(op.stride()));
                yield "ConvTranspose";
            }
            case MAX_POOL -> {
                attrs.put("kernel_shape", longs(op.kernel()));
                attrs.put("strides", longs(op.stride()));
                yield "MaxPool";
            }
            case INSTANCE_NORM -> {
                inputs.add(b.floats("scale", in.weight(), wdims));
                inputs.add(b.floats("shift", in.bias(), in.bias().length));
                attrs.put("epsilon", UnitBlock.NORM_EPSILON);
                yield "InstanceNormalization";
            }
            case LEAKY_RELU -> {
                attrs.put("alpha", UnitBlock.LEAKY_RELU_SLOPE);
                yield "LeakyRelu";
            }
            case DEPTH_SHIFT -> throw new IllegalArgumentException(op.label() + ": the exported depth shift is data movement "
                    + "(Slice/Concat/Pad), checked whole by parity, not by the engine check");
        };
        b.output(b.node(type, inputs.toArray(String[]::new), attrs), "y");
        b.declareOutput("y", ys[0], ys[1], ys[2], ys[3], ys[4]);
        return b.build(Map.of());
    }

    private static long[] longs(int[] v) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = v[i];
        }
        return l;
    }
}
