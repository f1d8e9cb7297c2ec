package org.e2enet.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.onnx.Spatial;
import org.e2enet.core.spec.DsffSettings;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.testing.DebianPython;
import org.e2enet.trainer.nn.ConvMode;
import org.e2enet.trainer.nn.E2ENetModel;
import org.e2enet.trainer.nn.ModelParameters;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ONNX Runtime runs the exported graph; its logits must be the training model's (the tolerance of docs/architecture.md#parity). */
class ExportParityTest {
    @TempDir
    Path dir;

    static ModelSpec spec(int pools, int shift, boolean anisotropicFirst, String granularity) {
        return RandomBundles.spec(pools, shift, anisotropicFirst, granularity);
    }

    static Path randomBundle(ModelSpec spec, Path dir, long seed) throws Exception {
        return RandomBundles.write(spec, null, dir, seed);
    }

    static float[] trainingLogits(ModelBundle b, float[] x, long[] shape) {
        try (NDManager m = NDManager.newBaseManager(); ModelParameters p = ModelParameters.fromTensors(b.spec(), b.weights(), m)) {
            return new E2ENetModel(b.spec(), p, ConvMode.CONV3D_PADDED).forwardHead0(m.create(x, new Shape(shape))).toFloatArray();
        }
    }

    static float[] ortLogits(byte[] model, float[] x, long[] shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(2);
            try (OrtSession s = env.createSession(model, o); OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                 OrtSession.Result r = s.run(Map.of("image", t))) {
                FloatBuffer fb = ((OnnxTensor) r.get("logits").orElseThrow()).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }

    static void assertParity(float[] expected, float[] actual, int classes, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 1;
        double max = 0;
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double d = Math.abs(expected[i] - actual[i]);
            max = Math.max(max, d);
            sum += d;
        }
        double mean = sum / expected.length;
        assertTrue(max <= 1e-3 * scale, what + ": max |diff| " + max + " > 1e-3 * " + scale);
        assertTrue(mean <= 1e-5 * scale, what + ": mean |diff| " + mean + " > 1e-5 * " + scale);
        int vox = expected.length / classes;
        int agree = 0;
        for (int v = 0; v < vox; v++) {
            agree += argmax(expected, v, vox, classes) == argmax(actual, v, vox, classes) ? 1 : 0;
        }
        assertTrue(agree >= 0.9999 * vox, what + ": argmax agreement " + agree + "/" + vox);
    }

    static int argmax(float[] a, int v, int vox, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (a[c * vox + v] > a[best * vox + v]) {
                best = c;
            }
        }
        return best;
    }

    @ParameterizedTest(name = "P={0} S={1} (1,2,2)-first={2} {3} dynamic={4}")
    @CsvSource({
        "3, 3, false, dense, false", "3, 3, false, kernel, true", "3, 5, true, channel, false", "3, 3, true, group:2, true",
        "5, 3, false, kernel, false", "5, 5, false, channel, true", "5, 3, true, group:2, false", "5, 5, true, dense, true",
        "3, 5, false, kernel, false", "5, 3, true, channel, false",
    })
    void onnxRuntimeLogitsEqualTheTrainingModels(int pools, int shift, boolean aniso, String granularity, boolean dynamic) throws Exception {
        ModelSpec spec = spec(pools, shift, aniso, granularity);
        ModelBundle bundle = ModelBundle.read(randomBundle(spec, dir, pools * 100L + shift));
        Spatial spatial = dynamic ? Spatial.DYNAMIC : Spatial.FIXED;
        for (boolean pruned : new boolean[] {true, false}) {
            OnnxExporter.Result r = OnnxExporter.export(bundle, (pruned ? ExportOptions.PRUNED : ExportOptions.DENSE).with(spatial),
                    CostModel.MEASURED);
            byte[] model = r.model().toByteArray();
            int[] patch = spec.patchSize();
            // dynamic graphs also run on a larger volume than the patch
            int scale = dynamic ? 2 : 1;
            long[] shape = {2, 2, patch[0] * scale, patch[1], patch[2] * scale};
            Random rnd = new Random(3);
            float[] x = new float[(int) (shape[0] * shape[1] * shape[2] * shape[3] * shape[4])];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            assertParity(trainingLogits(bundle, x, shape), ortLogits(model, x, shape), spec.numClasses(),
                    granularity + (pruned ? " pruned" : " dense"));
            if (pruned && !granularity.equals("dense")) {
                long dense = OnnxExporter.export(bundle, ExportOptions.DENSE.with(spatial), CostModel.MEASURED).storedParams();
                assertTrue(r.storedParams() <= dense, "pruning never stores more: " + r.storedParams() + " vs " + dense);
            }
            checkWithOnnxPackage(model);
        }
    }

    @org.junit.jupiter.api.Test
    void aTransposedConvWithUnequalInPlaneTapsMatchesTheTrainingModel() throws Exception {
        // a (2,2,1) pool: the exporter's general interleave (one 8-D Transpose) instead of DepthToSpace
        int[][] pools = {{2, 2, 1}, {2, 2, 2}, {2, 2, 2}};
        ModelSpec spec = new ModelSpec(2, 3, 4, 16, pools, 3, new int[] {8, 8, 4}, 0.6, Granularity.parse("channel"), DsffSettings.PAPER);
        ModelBundle bundle = ModelBundle.read(randomBundle(spec, dir, 5));
        long[] shape = {1, 2, 8, 8, 4};
        Random rnd = new Random(4);
        float[] x = new float[2 * 8 * 8 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        for (ExportOptions o : new ExportOptions[] {ExportOptions.PRUNED, ExportOptions.DENSE}) {
            byte[] model = OnnxExporter.export(bundle, o, CostModel.MEASURED).model().toByteArray();
            assertParity(trainingLogits(bundle, x, shape), ortLogits(model, x, shape), spec.numClasses(), o.toString());
            checkWithOnnxPackage(model);
        }
    }

    @org.junit.jupiter.api.Test
    void aLayerWithNoActiveKernelExportsAndMatchesTheTrainingModel() throws Exception {
        ModelSpec spec = spec(3, 3, false, "channel");
        Path dirBundle = randomBundle(spec, dir, 31);
        ModelBundle b = ModelBundle.read(dirBundle);
        String weight = "loc2.0.0.blocks.0.conv.weight";
        java.util.List<org.e2enet.core.safetensors.Tensor> masks = new java.util.ArrayList<>(b.masks().tensors().values());
        masks.replaceAll(t -> t.name().equals(weight + ".mask")
                ? org.e2enet.core.safetensors.Tensor.ofBytes(t.name(), t.shape(), new byte[t.data().length]) : t);
        java.util.List<org.e2enet.core.safetensors.Tensor> weights = new java.util.ArrayList<>(b.weights().tensors().values());
        weights.replaceAll(t -> t.name().equals(weight) ? org.e2enet.core.safetensors.Tensor.ofFloats(t.name(), t.shape(),
                new float[(int) t.elements()]) : t);
        org.e2enet.core.safetensors.SafeTensors.of(masks).write(dirBundle.resolve(ModelBundle.MASKS));
        org.e2enet.core.safetensors.SafeTensors.of(weights).write(dirBundle.resolve(ModelBundle.WEIGHTS));
        ModelBundle zeroed = ModelBundle.read(dirBundle);
        OnnxExporter.Result r = OnnxExporter.export(zeroed, ExportOptions.PRUNED, CostModel.MEASURED);
        int[] patch = spec.patchSize();
        long[] shape = {1, 2, patch[0], patch[1], patch[2]};
        float[] x = new float[(int) (shape[1] * shape[2] * shape[3] * shape[4])];
        Random rnd = new Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        assertParity(trainingLogits(zeroed, x, shape), ortLogits(r.model().toByteArray(), x, shape), spec.numClasses(), "all-zero mask");
    }

    private void checkWithOnnxPackage(byte[] model) throws Exception {
        assumeTrue(DebianPython.has("onnx"), "Debian's python3-onnx is not installed (.ci/run installs it)");
        Path f = Files.write(dir.resolve("m" + System.nanoTime() + ".onnx"), model);
        String out = DebianPython.run(String.join("\n", "import sys, onnx", "m = onnx.load(sys.argv[1])",
                "onnx.checker.check_model(m, full_check=True)",
                "onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)",
                "print('ok', m.ir_version, m.opset_import[0].version)"), f.toString());
        assertEquals("ok 8 17", out.strip());
    }
}
