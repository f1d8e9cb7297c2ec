package org.e2enet.runtime.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.runtime.engine.OrtSessions;

/**
 * Measures the exporter's cost-model constants on this machine with ONNX Runtime CPU: a 96-&gt;48 (1,3,3) conv on
 * 32x64x64 (dense throughput), a Gather of 19 of its 96 channels (gather throughput) and the same conv in 4
 * groups (grouped efficiency), each the median of timed runs after 2 warm-ups in sessions with the runtime's own
 * settings ({@link OrtSessions#cpu}); and the same conv in explicit INT8 against FP32 (the INT8 speed factor device
 * profiles record). It lives here, not in the exporter, so that only the runtime runs an inference engine.
 */
public final class CostModelMeasurement {
    private static final long[] INPUT = {1, 96, 32, 64, 64};
    private static final int OUTPUTS = 48;

    private CostModelMeasurement() {
    }

    /**
     * The constants with {@code threads} intra-op threads, {@code runs} timed runs each.
     *
     * @return them as a device profile and the exporter's cost model take them
     */
    public static ExportReport.CostConstants measure(int threads, int runs) {
        int cin = (int) INPUT[1];
        double voxels = (double) INPUT[2] * INPUT[3] * INPUT[4];
        double convMs = time(conv(1), "x", INPUT, threads, runs);
        double flops = 2.0 * OUTPUTS * cin * 9 * voxels;
        long[] channels = new long[cin / 5];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = i * 5L;
        }
        double gatherMs = time(gather(channels), "x", INPUT, threads, runs);
        double groupedMs = time(conv(4), "x", INPUT, threads, runs);
        return new ExportReport.CostConstants(flops / convMs, channels.length * voxels / gatherMs, (flops / 4 / groupedMs) / (flops / convMs));
    }

    /**
     * INT8 over FP32 speed of the measurement's conv on this machine: the FP32 conv's time over the same conv in
     * explicit INT8 (a QuantizeLinear/DequantizeLinear pair on its input and output, int8 weights per output
     * channel), the form {@code e2enet calibrate} writes. Below 1 means INT8 is slower here.
     */
    public static double int8SpeedFactor(int threads, int runs) {
        return time(conv(1), "x", INPUT, threads, runs) / time(int8Conv(), "x", INPUT, threads, runs);
    }

    /** The measurement's conv in explicit INT8 (symmetric int8 activations and weights). */
    static byte[] int8Conv() {
        OnnxBuilder b = new OnnxBuilder("int8conv");
        b.declareInput("x", INPUT[0], INPUT[1], INPUT[2], INPUT[3], INPUT[4]);
        int cin = (int) INPUT[1];
        byte[] w = new byte[OUTPUTS * cin * 9];
        Random r = new Random(1);
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (r.nextInt(255) - 127);
        }
        float[] wScale = new float[OUTPUTS];
        Arrays.fill(wScale, 1e-3f);
        String wq = b.int8s("wq", w, OUTPUTS, cin, 1, 3, 3);
        String ws = b.floats("ws", wScale, OUTPUTS);
        String wz = b.int8s("wz", new byte[OUTPUTS], OUTPUTS);
        String s = b.floats("s", new float[] {0.02f});
        String z = b.int8s("z", new byte[] {0});
        String xq = b.node("QuantizeLinear", new String[] {"x", s, z}, Map.of());
        String xd = b.node("DequantizeLinear", new String[] {xq, s, z}, Map.of());
        String wd = b.node("DequantizeLinear", new String[] {wq, ws, wz}, Map.of("axis", 0L));
        String y = b.node("Conv", new String[] {xd, wd}, Map.of("kernel_shape", new long[] {1, 3, 3}, "pads", new long[] {0, 1, 1, 0, 1, 1}));
        String yq = b.node("QuantizeLinear", new String[] {y, s, z}, Map.of());
        b.output(b.node("DequantizeLinear", new String[] {yq, s, z}, Map.of()), "y");
        b.declareOutput("y", INPUT[0], OUTPUTS, INPUT[2], INPUT[3], INPUT[4]);
        return b.build(Map.of()).toByteArray();
    }

    /** The (1,3,3) conv of the measurement in {@code groups} groups. */
    static byte[] conv(int groups) {
        OnnxBuilder b = new OnnxBuilder("conv");
        b.declareInput("x", INPUT[0], INPUT[1], INPUT[2], INPUT[3], INPUT[4]);
        int perGroup = (int) INPUT[1] / groups;
        String w = b.floats("w", random(OUTPUTS * perGroup * 9), OUTPUTS, perGroup, 1, 3, 3);
        b.output(b.node("Conv", new String[] {"x", w}, Map.of("kernel_shape", new long[] {1, 3, 3}, "pads", new long[] {0, 1, 1, 0, 1, 1},
                "group", (long) groups)), "y");
        b.declareOutput("y", INPUT[0], OUTPUTS, INPUT[2], INPUT[3], INPUT[4]);
        return b.build(Map.of()).toByteArray();
    }

    private static byte[] gather(long[] channels) {
        OnnxBuilder b = new OnnxBuilder("gather");
        b.declareInput("x", INPUT[0], INPUT[1], INPUT[2], INPUT[3], INPUT[4]);
        b.output(b.node("Gather", new String[] {"x", b.int64s("i", channels)}, Map.of("axis", 1L)), "y");
        b.declareOutput("y", INPUT[0], channels.length, INPUT[2], INPUT[3], INPUT[4]);
        return b.build(Map.of()).toByteArray();
    }

    private static float[] random(int n) {
        Random r = new Random(1);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 0.1f;
        }
        return v;
    }

    /**
     * Median milliseconds of {@code runs} runs of {@code model} on a random {@code input} of {@code shape}, after 2
     * warm-ups, in a CPU session with {@code threads} intra-op threads and the runtime's other settings.
     */
    static double time(byte[] model, String input, long[] shape, int threads, int runs) {
        float[] x = random((int) Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        try (OrtSession s = OrtSessions.cpu(model, threads, "a cost-model timing graph");
             OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(x), shape)) {
            double[] ms = new double[runs];
            for (int i = -2; i < runs; i++) {
                long t0 = System.nanoTime();
                try (OrtSession.Result res = s.run(Map.of(input, t))) {
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            Arrays.sort(ms);
            return ms[runs / 2];
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a timing run: " + e.getMessage(), e);
        }
    }
}
