package org.e2enet.runtime.parity;

import org.e2enet.runtime.RuntimeFixtures;
import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.parity.ParityCheck;
import org.e2enet.runtime.parity.ParityReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.e2enet.core.bundle.GoldenFixtures;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.onnx.WeightIdentity;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.exporter.ExportOptions;
import org.e2enet.exporter.ModelExport;
import org.e2enet.exporter.RandomBundles;
import org.e2enet.onnx.proto.OnnxMl;
import org.e2enet.shaded.protobuf.ByteString;
import org.e2enet.trainer.nn.ConvMode;
import org.e2enet.trainer.nn.E2ENetModel;
import org.e2enet.trainer.nn.ModelParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParityCheckTest {
    @TempDir
    Path dir;

    /** Golden fixtures as the trainer writes them: inputs and the training model's eval-mode head-0 logits. */
    static void addGolden(Path bundleDir) throws Exception {
        ModelBundle b = ModelBundle.read(bundleDir);
        int[] p = b.spec().patchSize();
        long[] shape = {1, b.spec().inputChannels(), p[0], p[1], p[2]};
        List<GoldenFixtures.Patch> golden = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(); ModelParameters params = ModelParameters.fromTensors(b.spec(), b.weights(), m)) {
            E2ENetModel model = new E2ENetModel(b.spec(), params, ConvMode.CONV3D_PADDED);
            Random rnd = new Random(9);
            for (int g = 0; g < 2; g++) {
                float[] x = new float[(int) (shape[1] * shape[2] * shape[3] * shape[4])];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rnd.nextGaussian();
                }
                float[] logits = model.forwardHead0(m.create(x, new Shape(shape))).toFloatArray();
                golden.add(GoldenFixtures.patch(shape, x, new long[] {1, b.spec().numClasses(), p[0], p[1], p[2]}, logits));
            }
        }
        GoldenFixtures.of(golden, java.util.Map.of()).toTensors().write(bundleDir.resolve(ModelBundle.GOLDEN));
    }

    /** A random bundle of the test spec with golden fixtures. */
    private Path bundleWithGolden(long seed) throws Exception {
        Path bundleDir = RandomBundles.write(RuntimeFixtures.spec(new int[] {16, 32, 32}, 3), RuntimeFixtures.plans(3), dir, seed);
        addGolden(bundleDir);
        return bundleDir;
    }

    /** The pruned export of {@code bundleDir} as m.onnx, with its report beside it. */
    private Path exportPruned(Path bundleDir) throws Exception {
        Path onnx = dir.resolve("m.onnx");
        ModelExport.run(bundleDir, onnx, ExportOptions.PRUNED, ExportReport.besideModel(onnx));
        return onnx;
    }

    @Test
    void passesOnAFreshExportAndFailsWhenOneWeightChanges() throws Exception {
        Path bundleDir = bundleWithGolden(5);
        Path onnx = exportPruned(bundleDir);
        ModelBundle bundle = ModelBundle.read(bundleDir);
        try (OnnxModel model = OnnxModel.open(onnx, Backend.ORT_CPU, 2)) {
            ParityReport r = ParityCheck.run(bundle, onnx, model);
            assertTrue(r.passed(), r.failures().toString());
            assertEquals(2, r.fixtures());
            assertTrue(r.expectedTrueFlops() > 0 && r.graphTrueFlops() == r.expectedTrueFlops());
            assertEquals(1.0, r.argmaxAgreement(), 1e-9);
            assertEquals(null, r.flopsCheckNotRun());
            // without the export report the FLOPs check cannot run, and the report says so instead of passing it silently
            java.nio.file.Files.move(ExportReport.besideModel(onnx), dir.resolve("elsewhere.json"));
            ParityReport bare = ParityCheck.run(bundle, onnx, model);
            assertTrue(bare.flopsCheckNotRun() != null && bare.flopsCheckNotRun().contains("m.export.json"), bare.flopsCheckNotRun());
            java.nio.file.Files.move(dir.resolve("elsewhere.json"), ExportReport.besideModel(onnx));
        }
        // change one weight of the encoder's first conv, export again, compare with the original fixtures
        List<Tensor> weights = new ArrayList<>(bundle.weights().tensors().values());
        weights.replaceAll(t -> {
            if (!t.name().equals("conv_blocks_context.0.blocks.0.conv.weight")) {
                return t;
            }
            float[] v = t.floats();
            v[4] += 0.5f;
            return Tensor.ofFloats(t.name(), t.shape(), v);
        });
        SafeTensors.of(weights).write(bundleDir.resolve(ModelBundle.WEIGHTS));
        Path changed = dir.resolve("changed.onnx");
        ModelExport.run(bundleDir, changed, ExportOptions.PRUNED, ExportReport.besideModel(changed));
        try (OnnxModel model = OnnxModel.open(changed, Backend.ORT_CPU, 2)) {
            ParityReport r = ParityCheck.run(bundle, changed, model);
            assertFalse(r.passed(), "one changed weight must fail parity");
            assertTrue(r.maxAbsDiff() > 1e-3 * r.scale());
        }
    }

    @Test
    void aFlippedBitInAnyInitializerOrAChangedBundleTensorFailsTheIdentityCheckNamingIt() throws Exception {
        Path bundleDir = bundleWithGolden(8);
        Path onnx = exportPruned(bundleDir);
        ModelBundle bundle = ModelBundle.read(bundleDir);
        E2eNetOnnx exported = E2eNetOnnx.read(onnx);
        assertTrue(WeightIdentity.check(exported, bundle).passed(), WeightIdentity.check(exported, bundle).failures().toString());
        OnnxMl.GraphProto graph = exported.model().getGraph();
        Random rnd = new Random(17);
        Path flipped = dir.resolve("flipped.onnx");
        int detected = 0;
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            OnnxMl.TensorProto t = graph.getInitializer(i);
            byte[] raw = t.getRawData().toByteArray();
            int bit = rnd.nextInt(raw.length * 8);
            raw[bit / 8] ^= (byte) (1 << (bit % 8));
            OnnxMl.ModelProto mutant = exported.model().toBuilder().setGraph(graph.toBuilder()
                    .setInitializer(i, t.toBuilder().setRawData(ByteString.copyFrom(raw)))).build();
            Files.write(flipped, mutant.toByteArray());
            WeightIdentity id = WeightIdentity.check(E2eNetOnnx.read(flipped), bundle);
            if (!id.passed() && id.failures().stream().anyMatch(f -> f.contains("'" + t.getName() + "'"))) {
                detected++;
            }
        }
        assertEquals(graph.getInitializerCount(), detected, "every flipped bit is caught, in every initializer");
        assertTrue(graph.getInitializerCount() > 50, "many initializers were tried: " + graph.getInitializerCount());
        // the bundle changed after export: parity fails on the identity row, naming the tensor
        String name = "loc2.0.0.blocks.0.instnorm.weight";
        List<Tensor> weights = new ArrayList<>(bundle.weights().tensors().values());
        weights.replaceAll(t -> {
            if (!t.name().equals(name)) {
                return t;
            }
            byte[] d = t.data().clone();
            d[0] ^= 1;
            return new Tensor(t.name(), t.dtype(), t.shape(), d);
        });
        SafeTensors.of(weights).write(bundleDir.resolve(ModelBundle.WEIGHTS));
        ModelBundle changed = ModelBundle.read(bundleDir);
        try (OnnxModel model = OnnxModel.open(onnx, Backend.ORT_CPU, 2)) {
            ParityReport r = ParityCheck.run(changed, onnx, model);
            assertFalse(r.passed());
            assertTrue(r.failures().stream().anyMatch(f -> f.startsWith("weight identity") && f.contains(name)), r.failures().toString());
            assertTrue(r.maxAbsDiff() <= 1e-3 * r.scale(), "a change this small passes the numeric checks: only identity catches it");
        }
    }

    @Test
    void anEmptyGoldenFileIsBadInputNotAFailedCheck() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path bundleDir = RandomBundles.write(spec, RuntimeFixtures.plans(3), dir, 4);
        GoldenFixtures.of(List.of(), java.util.Map.of()).toTensors().write(bundleDir.resolve(ModelBundle.GOLDEN));
        Path onnx = dir.resolve("e.onnx");
        ModelExport.run(bundleDir, onnx, ExportOptions.PRUNED, ExportReport.besideModel(onnx));
        try (OnnxModel model = OnnxModel.open(onnx, Backend.ORT_CPU, 1)) {
            BadInputException e = assertThrows(BadInputException.class, () -> ParityCheck.run(ModelBundle.read(bundleDir), onnx, model));
            assertTrue(e.getMessage().contains(ModelBundle.GOLDEN) && e.getMessage().contains("no golden patches"), e.getMessage());
        }
    }
}
