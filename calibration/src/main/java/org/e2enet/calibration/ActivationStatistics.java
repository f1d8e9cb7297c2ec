package org.e2enet.calibration;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.core.onnx.OnnxGraphStats;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.runtime.engine.OrtSessions;
import org.e2enet.onnx.proto.OnnxMl;

/**
 * Activation ranges observed by running the FP32 graph on calibration tiles in ONNX Runtime CPU, with the
 * tensors to observe added as graph outputs. The tensors are observed in groups whose values for one tile
 * fit in {@link #GROUP_BYTES}, so a paper-sized network is calibrated in bounded memory; the extremes come from
 * a first pass and, for the percentile and entropy methods, a histogram of |x| from a second.
 */
public final class ActivationStatistics {
    /** Bytes of observed values one run may return. */
    static final long GROUP_BYTES = 512L << 20;
    /** Histogram bins (as TensorRT's entropy calibration uses). */
    static final int BINS = 2048;

    private ActivationStatistics() {
    }

    /**
     * The range of each of {@code tensors} under {@code method}; the tensors in {@code fullRange} (the logits:
     * clipping them ties the classes that exceed the clip, which changes the argmax) keep their observed extremes.
     */
    public static Map<String, ActivationRange> collect(OnnxMl.ModelProto model, Set<String> tensors, Set<String> fullRange,
                                                       List<CalibrationTile> tiles, RangeMethod method, int threads,
                                                       ProgressListener progress) {
        if (tiles.isEmpty()) {
            throw new IllegalArgumentException("no calibration tiles");
        }
        Map<String, long[]> shapes = OnnxGraphStats.valueShapes(model, tiles.get(0).shape());
        List<List<String>> groups = groups(tensors, shapes);
        Map<String, double[]> extremes = new LinkedHashMap<>();
        tensors.forEach(t -> extremes.put(t, new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}));
        int passes = method.needsHistogram() ? 2 : 1;
        progress.start("statistics", (long) passes * groups.size() * tiles.size());
        for (List<String> group : groups) {
            observe(model, group, tiles, threads, progress, (name, v) -> {
                double[] e = extremes.get(name);
                for (float x : v) {
                    if (x < e[0]) {
                        e[0] = x;
                    }
                    if (x > e[1]) {
                        e[1] = x;
                    }
                }
            });
        }
        Map<String, AbsHistogram> histograms = new HashMap<>();
        if (method.needsHistogram()) {
            for (String t : tensors) {
                double[] e = extremes.get(t);
                histograms.put(t, new AbsHistogram(BINS, Math.max(Math.abs(e[0]), Math.abs(e[1]))));
            }
            for (List<String> group : groups) {
                observe(model, group, tiles, threads, progress, (name, v) -> histograms.get(name).add(v));
            }
        }
        progress.finish();
        Map<String, ActivationRange> out = new LinkedHashMap<>();
        for (String t : tensors) {
            double[] e = extremes.get(t);
            out.put(t, (fullRange.contains(t) ? RangeMethod.MINMAX : method).range(e[0], e[1], histograms.get(t)));
        }
        return out;
    }

    /** Splits {@code tensors} into groups whose float32 values for one tile stay under {@link #GROUP_BYTES}. */
    static List<List<String>> groups(Set<String> tensors, Map<String, long[]> shapes) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long bytes = 0;
        for (String t : tensors) {
            long[] s = shapes.get(t);
            if (s == null) {
                throw new IllegalArgumentException("tensor " + t + " is not a value of the graph");
            }
            long b = 4 * Arrays.stream(s).reduce(1, Math::multiplyExact);
            if (!current.isEmpty() && bytes + b > GROUP_BYTES) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(t);
            bytes += b;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private interface Sink {
        void accept(String tensor, float[] values);
    }

    /** Runs the graph with {@code group} as its outputs on every tile and hands each output's values to {@code sink}. */
    private static void observe(OnnxMl.ModelProto model, List<String> group, List<CalibrationTile> tiles, int threads,
                                ProgressListener progress, Sink sink) {
        OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder().clearOutput();
        for (String t : group) {
            g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(t).setType(OnnxMl.TypeProto.newBuilder()
                    .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()))));
        }
        byte[] bytes = model.toBuilder().setGraph(g).build().toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = OrtSessions.cpu(bytes, threads, "the instrumented calibration graph")) {
            for (CalibrationTile tile : tiles) {
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(tile.data()), tile.shape());
                     OrtSession.Result r = session.run(Map.of(OnnxContract.INPUT, in))) {
                    for (Map.Entry<String, OnnxValue> e : r) {
                        FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                        float[] v = new float[fb.remaining()];
                        fb.get(v);
                        sink.accept(e.getKey(), v);
                    }
                }
                progress.step(tile.caseId());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a calibration tile: " + e.getMessage(), e);
        }
    }
}
