package org.e2enet.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.core.onnx.OnnxGraphStats;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.runtime.engine.OrtSessions;
import org.e2enet.onnx.proto.OnnxMl;
import org.junit.jupiter.api.Test;

/** Scales, zero points and ranges against hand-computed values on a graph small enough to compute by hand. */
class QuantizationMathTest {
    /** image (1,1,1,2,2) -> 1x1x1 Conv with weights [1, -2] and biases [0.5, 0] -> out (1,2,1,2,2) -> logits. */
    static OnnxMl.ModelProto tinyGraph() {
        OnnxBuilder b = new OnnxBuilder("tiny");
        b.declareInput("image", 1, 1, 1, 2, 2);
        String w = b.floats("w", new float[] {1f, -2f}, 2, 1, 1, 1, 1);
        String bias = b.floats("b", new float[] {0.5f, 0f}, 2);
        String y = b.node("Conv", new String[] {"image", w, bias}, Map.of("kernel_shape", new long[] {1, 1, 1}));
        b.output(y, "logits");
        b.declareOutput("logits", 1, 2, 1, 2, 2);
        return b.build(Map.of());
    }

    static List<CalibrationTile> tiles() {
        return List.of(new CalibrationTile("a", new float[] {-1f, 0f, 1f, 2f}, new long[] {1, 1, 1, 2, 2}, true),
                new CalibrationTile("b", new float[] {0.5f, 3f, -0.25f, 0f}, new long[] {1, 1, 1, 2, 2}, true));
    }

    @Test
    void minmaxRangesAreTheObservedExtremesOfEveryObservedTensor() {
        OnnxMl.ModelProto m = tinyGraph();
        Set<String> observe = QdqQuantizer.tensorsToObserve(m, Set.of(), ActivationScheme.S8);
        assertEquals(2, observe.size());
        Map<String, ActivationRange> r = ActivationStatistics.collect(m, observe, Set.of(), tiles(), RangeMethod.MINMAX, 1, ProgressListener.NONE);
        assertEquals(new ActivationRange(-1, 3), r.get("image"));
        String conv = m.getGraph().getNode(0).getOutput(0);
        // channel 0: x + 0.5 over x in [-1, 3] -> [-0.5, 3.5]; channel 1: -2x over [-1, 3] -> [-6, 2]
        assertEquals(new ActivationRange(-6, 3.5), r.get(conv));
    }

    @Test
    void schemesGiveHandComputedScalesAndZeroPoints() {
        ActivationScheme.Params s8 = ActivationScheme.S8.params(new ActivationRange(-6, 3.5));
        assertEquals(6f / 127, s8.scale(), 1e-9);
        assertEquals(0, s8.zeroPoint());
        ActivationScheme.Params u8 = ActivationScheme.U8.params(new ActivationRange(-1, 3));
        assertEquals(4f / 255, u8.scale(), 1e-9);
        assertEquals(64, u8.zeroPoint()); // round(1 / (4/255)) = round(63.75)
        ActivationScheme.Params positive = ActivationScheme.U8.params(new ActivationRange(0.5, 2));
        assertEquals(2f / 255, positive.scale(), 1e-9); // the range always includes 0
        assertEquals(0, positive.zeroPoint());
        assertEquals(1f, ActivationScheme.S8.params(new ActivationRange(0, 0)).scale());
    }

    @Test
    void weightsArePerOutputChannelSymmetricAndTheBiasStaysFloat() {
        OnnxMl.ModelProto m = tinyGraph();
        Map<String, ActivationRange> r = ActivationStatistics.collect(m, QdqQuantizer.tensorsToObserve(m, Set.of(), ActivationScheme.S8), Set.of(), tiles(),
                RangeMethod.MINMAX, 1, ProgressListener.NONE);
        QdqQuantizer.Result q = QdqQuantizer.quantize(m, r, Set.of(), ActivationScheme.S8);
        Map<String, OnnxMl.TensorProto> inits = new HashMap<>();
        q.model().getGraph().getInitializerList().forEach(t -> inits.put(t.getName(), t));
        float[] wScale = floats(inits.get("w_scale"));
        assertEquals(1f / 127, wScale[0], 1e-9);
        assertEquals(2f / 127, wScale[1], 1e-9);
        byte[] wq = inits.get("w_quantized").getRawData().toByteArray();
        assertEquals(127, wq[0]);
        assertEquals(-127, wq[1]);
        float xScale = 3f / 127;
        assertEquals(xScale, floats(inits.get("image_scale"))[0], 1e-9);
        assertEquals(0, inits.get("w_zero_point").getRawData().byteAt(0), "symmetric");
        assertTrue(!inits.containsKey("w"), "the float weights are gone");
        assertEquals(List.of(0.5f, 0f), List.of(floats(inits.get("b"))[0], floats(inits.get("b"))[1]), "the bias stays float32 (TensorRT)");
        assertEquals(List.of("image", m.getGraph().getNode(0).getOutput(0)), List.copyOf(q.activations().keySet()));
    }

    @Test
    void theQuantizedGraphRunsAndStaysWithinAQuantizationStepOfFp32() throws Exception {
        OnnxMl.ModelProto m = tinyGraph();
        Map<String, ActivationRange> r = ActivationStatistics.collect(m, QdqQuantizer.tensorsToObserve(m, Set.of(), ActivationScheme.S8), Set.of(), tiles(),
                RangeMethod.MINMAX, 1, ProgressListener.NONE);
        for (ActivationScheme scheme : ActivationScheme.values()) {
            OnnxMl.ModelProto q = QdqQuantizer.quantize(m, r, Set.of(), scheme).model();
            float[] a = run(m, tiles().get(1));
            float[] b = run(q, tiles().get(1));
            double outStep = scheme.params(r.get(m.getGraph().getNode(0).getOutput(0))).scale();
            double inStep = scheme.params(r.get("image")).scale();
            for (int i = 0; i < a.length; i++) {
                // input rounding (x 2 for the -2 weight) plus output rounding
                assertEquals(a[i], b[i], 2 * inStep + outStep, scheme + " value " + i);
            }
            assertEquals(OnnxGraphStats.of(m, new long[] {1, 1, 1, 2, 2}).trueFlops(), OnnxGraphStats.of(q, new long[] {1, 1, 1, 2, 2}).trueFlops());
        }
    }

    @Test
    void keptConvolutionsStayFloat() {
        OnnxMl.ModelProto m = tinyGraph();
        String conv = m.getGraph().getNode(0).getName();
        assertTrue(QdqQuantizer.tensorsToObserve(m, Set.of(conv), ActivationScheme.S8).isEmpty());
        OnnxMl.ModelProto q = QdqQuantizer.quantize(m, Map.of(), Set.of(conv), ActivationScheme.S8).model();
        assertEquals(m.getGraph(), q.getGraph());
    }

    @Test
    void percentileAndEntropyClipOutliersThatMinmaxKeeps() {
        AbsHistogram h = new AbsHistogram(2048, 100);
        float[] v = new float[100_000];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian());
        }
        v[0] = 100f; // one outlier
        h.add(v);
        assertEquals(100_000, h.total());
        double p = h.percentile(99.99);
        assertTrue(p > 3 && p < 5, "99.99th percentile of |N(0,1)| is about 3.9: " + p);
        double e = h.entropyThreshold(128);
        assertTrue(e > 2 && e < 20, "entropy clips the outlier: " + e);
        ActivationRange kept = RangeMethod.MINMAX.range(-4, 100, h);
        assertEquals(100, kept.max());
        assertTrue(RangeMethod.PERCENTILE.range(-4, 100, h).max() < 5);
    }

    @Test
    void halfPrecisionRoundsToNearestEven() {
        assertEquals(1f, Tensors.fromHalf(Tensors.toHalf(1f)));
        assertEquals(65504f, Tensors.fromHalf(Tensors.toHalf(65504f)));
        assertEquals(Float.POSITIVE_INFINITY, Tensors.fromHalf(Tensors.toHalf(70000f)));
        assertEquals(0.333251953125f, Tensors.fromHalf(Tensors.toHalf(1f / 3)));
        assertEquals(5.960464477539063E-8f, Tensors.fromHalf(Tensors.toHalf(6e-8f))); // smallest subnormal
        assertEquals(2048f, Tensors.fromHalf(Tensors.toHalf(2049f))); // tie to even
        assertEquals(-2f, Tensors.fromHalf(Tensors.toHalf(-2f)));
    }

    static float[] floats(OnnxMl.TensorProto t) {
        return Tensors.floats(t);
    }

    static float[] run(OnnxMl.ModelProto m, CalibrationTile t) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = OrtSessions.cpu(m.toByteArray(), 1, "test graph");
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(t.data()), t.shape());
             OrtSession.Result r = s.run(Map.of("image", in))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }
}
