package org.e2enet.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.ModelPrecision;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.core.onnx.WeightIdentity;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.onnx.proto.OnnxMl;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.parity.ParityCheck;
import org.e2enet.runtime.parity.ParityTolerance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Calibration#run} end to end on a small exported model and a phantom dataset labelled by its FP32 segmentation. */
class CalibrationTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path data;
    static Path phantoms;

    @BeforeAll
    static void fixtures() throws Exception {
        phantoms = CalibrationFixtures.phantoms(dir, 6, 2);
        model = CalibrationFixtures.model(dir, phantoms);
        data = CalibrationFixtures.dataset(dir, phantoms, model, 6, 2, false);
    }

    static CalibrationOptions int8(double maxDrop, List<String> keep, boolean auto) {
        return CalibrationOptions.builder(ModelPrecision.INT8).tiles(16).maxDiceDropPoints(maxDrop).keepFp32(keep).autoKeep(auto)
                .fp32WhereFaster(false).threads(2).build();
    }

    @Test
    void int8PassesItsGateAndIsWrittenWithReportMetadataAndTheBundlesIdentity() throws Exception {
        Path out = dir.resolve("m.int8.onnx");
        Calibration.Outcome r = Calibration.run(model, data, out, int8(3, List.of(), false), ProgressListener.NONE);
        AccuracyGate.Result g = r.report().gate();
        assertTrue(r.written(), "gate: " + g);
        assertEquals(2, g.cases().size(), "the held-out cases (imagesTs/labelsTs) are the gate's");
        assertEquals(1.0, g.fp32MeanDice(), 0.05, "the labels are the FP32 model's own segmentation (resampled to the plans' grid)");
        assertTrue(g.dropPoints() <= 3, "drop " + g.dropPoints());
        assertTrue(g.maxLogitDiff() > 0, "int8 moves logits");
        assertEquals(CalibrationFixtures.ids(6), r.report().cases());
        E2eNetOnnx q = E2eNetOnnx.read(out);
        assertEquals(ModelPrecision.INT8, ModelPrecision.of(q));
        assertTrue(q.metadata().containsKey(OnnxContract.CALIBRATION));
        long qdq = q.model().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("QuantizeLinear")).count();
        long convs = q.model().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv")).count();
        assertTrue(qdq < 2 * convs, "u8: a tensor the depth shift moves is quantized once, before the moves: " + qdq + " for " + convs);
        for (OnnxMl.NodeProto n : q.model().getGraph().getNodeList()) {
            if (n.getOpType().equals("Conv")) {
                assertTrue(n.getInput(0).endsWith("_dq") && n.getInput(1).endsWith("_dq"), "DQ -> Conv for ONNX Runtime's fusion: " + n);
            }
        }
        assertTrue(q.model().getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Pad") && n.getInput(0).endsWith("_q")
                && n.getInputCount() == 3 && n.getInput(2).endsWith("_zero_point")), "the depth shift pads 8-bit data with the zero point");
        Path s8 = dir.resolve("m.s8.onnx");
        CalibrationOptions o8 = CalibrationOptions.builder(ModelPrecision.INT8).scheme(ActivationScheme.S8).tiles(16).maxDiceDropPoints(3)
                .fp32WhereFaster(false).threads(2).build();
        assertTrue(Calibration.run(model, data, s8, o8, ProgressListener.NONE).written());
        long s8q = E2eNetOnnx.read(s8).model().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("QuantizeLinear")).count();
        assertEquals(2 * convs, s8q, "s8: one pair on each convolution's input and output, the form TensorRT reads");
        Path report = OnnxContract.besideModel(out, OnnxContract.CALIBRATION_REPORT_SUFFIX);
        assertTrue(new ObjectMapper().readTree(report.toFile()).get("passed").asBoolean());
        ModelBundle bundle = ModelBundle.read(dir.resolve("bundle"));
        assertTrue(WeightIdentity.check(q, bundle).passed(), WeightIdentity.check(q, bundle).failures().toString());
        try (OnnxModel m = OnnxModel.open(out, Backend.ORT_CPU, 1)) {
            assertEquals(ModelPrecision.INT8, m.precision());
        }
        // a changed calibrated weight is caught by its own digests
        OnnxMl.ModelProto.Builder tampered = q.model().toBuilder();
        OnnxMl.TensorProto t = tampered.getGraph().getInitializer(0);
        byte[] raw = t.getRawData().toByteArray();
        raw[0] ^= 1;
        tampered.getGraphBuilder().setInitializer(0, t.toBuilder().setRawData(org.e2enet.shaded.protobuf.ByteString.copyFrom(raw)));
        Path bad = dir.resolve("tampered.onnx");
        Files.write(bad, tampered.build().toByteArray());
        WeightIdentity id = WeightIdentity.check(E2eNetOnnx.read(bad), bundle);
        assertFalse(id.passed());
        assertTrue(id.failures().get(0).contains("differs from the calibrated one"), id.failures().toString());
    }

    @Test
    void calibrationOnEmptyImagesFailsTheGateAndWritesNothing() throws Exception {
        Path blank = CalibrationFixtures.dataset(dir, phantoms, model, 6, 2, true);
        Path out = dir.resolve("blank.int8.onnx");
        Calibration.Outcome r = Calibration.run(model, blank, out, int8(3, List.of(), false), ProgressListener.NONE);
        assertFalse(r.written());
        assertFalse(r.report().passed());
        assertTrue(r.report().gate().dropPoints() > 3, "drop " + r.report().gate().dropPoints());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(OnnxContract.besideModel(out, OnnxContract.CALIBRATION_REPORT_SUFFIX)));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".calibrate-")), "no work files left");
        }
    }

    @Test
    void autoKeepRanksLayersAndPutsTheMostSensitiveBackUntilTheGatePasses() throws Exception {
        Path blank = CalibrationFixtures.dataset(dir, phantoms, model, 6, 2, true);
        Path out = dir.resolve("auto.int8.onnx");
        Calibration.Outcome r = Calibration.run(model, blank, out, int8(3, List.of(), true), ProgressListener.NONE);
        List<LayerSensitivity> s = r.report().sensitivity();
        assertEquals(QdqQuantizer.quantizableNodes(E2eNetOnnx.read(model).model()).size(), s.size());
        for (int i = 1; i < s.size(); i++) {
            assertTrue(s.get(i - 1).meanAbsLogitDiff() >= s.get(i).meanAbsLogitDiff(), "most sensitive first");
        }
        assertTrue(r.written(), "with everything back in FP32 at worst, the gate passes: " + r.report().gate());
        long kept = s.stream().filter(LayerSensitivity::keptFp32).count();
        assertTrue(kept >= 1 && s.get(0).keptFp32(), "the most sensitive layer went back first");
        assertEquals(s.stream().filter(LayerSensitivity::keptFp32).map(LayerSensitivity::node).collect(Collectors.toSet()),
                Set.copyOf(r.report().keptFp32()));
    }

    @Test
    void keptLayersAreHonoured() throws Exception {
        OnnxMl.ModelProto fp32 = E2eNetOnnx.read(model).model();
        String conv = QdqQuantizer.quantizableNodes(fp32).get(0);
        String layer = Calibration.layerOf(conv);
        Path out = dir.resolve("kept.int8.onnx");
        Calibration.Outcome r = Calibration.run(model, data, out, int8(100, List.of(layer), false), ProgressListener.NONE);
        assertTrue(r.written());
        assertTrue(r.report().keptFp32().contains(conv));
        OnnxMl.NodeProto node = E2eNetOnnx.read(out).model().getGraph().getNodeList().stream().filter(n -> n.getName().equals(conv))
                .findFirst().orElseThrow();
        Map<String, OnnxMl.TensorProto> inits = E2eNetOnnx.read(out).model().getGraph().getInitializerList().stream()
                .collect(Collectors.toMap(OnnxMl.TensorProto::getName, t -> t));
        assertEquals(OnnxMl.TensorProto.DataType.FLOAT.getNumber(), inits.get(node.getInput(1)).getDataType(), "its weight stays float");
        assertFalse(node.getInput(0).endsWith("_dq"), "its input is not quantized");
        BadInputException e = assertThrows(BadInputException.class,
                () -> Calibration.run(model, data, dir.resolve("x.onnx"), int8(1, List.of("no.such.layer"), false), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("no.such.layer"), e.getMessage());
    }

    @Test
    void fp16KeepsInstanceNormalizationInFp32AndPassesParityUnderTheReducedRules() throws Exception {
        Path out = dir.resolve("m.fp16.onnx");
        CalibrationOptions o = CalibrationOptions.builder(ModelPrecision.FP16).scheme(ActivationScheme.S8).tiles(16).fp32WhereFaster(false)
                .threads(2).build();
        Calibration.Outcome r = Calibration.run(model, data, out, o, ProgressListener.NONE);
        assertTrue(r.written(), r.report().gate().toString());
        assertTrue(r.report().gate().dropPoints() < 0.5);
        OnnxMl.GraphProto g = E2eNetOnnx.read(out).model().getGraph();
        Map<String, OnnxMl.NodeProto> producers = new java.util.HashMap<>();
        g.getNodeList().forEach(n -> n.getOutputList().forEach(v -> producers.put(v, n)));
        Map<String, OnnxMl.TensorProto> inits = g.getInitializerList().stream().collect(Collectors.toMap(OnnxMl.TensorProto::getName, t -> t));
        int norms = 0;
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("InstanceNormalization")) {
                norms++;
                OnnxMl.NodeProto cast = producers.get(n.getInput(0));
                assertEquals("Cast", cast.getOpType(), "the norm reads a cast");
                assertEquals(OnnxMl.TensorProto.DataType.FLOAT.getNumber(), cast.getAttribute(0).getI(), "to float32");
                assertEquals(OnnxMl.TensorProto.DataType.FLOAT.getNumber(), inits.get(n.getInput(1)).getDataType());
            }
            if (n.getOpType().equals("Conv")) {
                assertEquals(OnnxMl.TensorProto.DataType.FLOAT16.getNumber(), inits.get(n.getInput(1)).getDataType());
            }
        }
        assertTrue(norms > 0);
        assertTrue(r.report().keptFp32().size() >= norms);
        ModelBundle bundle = ModelBundle.read(dir.resolve("bundle"));
        try (OnnxModel m = OnnxModel.open(out, Backend.ORT_CPU, 1)) {
            float[] logits = m.run(new float[16 * 32 * 32], new long[] {1, 1, 16, 32, 32});
            assertEquals(CalibrationFixtures.CLASSES * 16 * 32 * 32, logits.length, "float32 in and out");
            if (bundle.golden() != null) {
                assertEquals(ParityTolerance.REDUCED, ParityCheck.run(bundle, out, m).tolerance());
            }
        }
    }

    @Test
    void bothCalibratedGraphsPassDebiansOnnxFullCheckAndStrictShapeInference() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.e2enet.core.testing.DebianPython.has("onnx"),
                "Debian's python3-onnx is not installed (.ci/run installs it)");
        Path i8 = dir.resolve("check.int8.onnx");
        Path f16 = dir.resolve("check.fp16.onnx");
        assertTrue(Calibration.run(model, data, i8, int8(100, List.of(), false), ProgressListener.NONE).written());
        assertTrue(Calibration.run(model, data, f16, CalibrationOptions.builder(ModelPrecision.FP16)
                .method(RangeMethod.MINMAX).scheme(ActivationScheme.S8).tiles(8).maxDiceDropPoints(100).fp32WhereFaster(false).threads(2).build(), ProgressListener.NONE).written());
        for (Path p : List.of(i8, f16)) {
            String out = org.e2enet.core.testing.DebianPython.run(String.join("\n", "import sys, onnx", "m = onnx.load(sys.argv[1])",
                    "onnx.checker.check_model(m, full_check=True)",
                    "onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)",
                    "print('ok', m.ir_version, m.opset_import[0].version)"), p.toString());
            assertEquals("ok 8 17", out.strip(), p.toString());
        }
    }

    @Test
    void badInputIsRefusedInOneLineAndNothingIsWritten() throws Exception {
        Path out = dir.resolve("never.onnx");
        Path q = dir.resolve("q.int8.onnx");
        Calibration.run(model, data, q, int8(100, List.of(), false), ProgressListener.NONE);
        BadInputException already = assertThrows(BadInputException.class,
                () -> Calibration.run(q, data, out, int8(1, List.of(), false), ProgressListener.NONE));
        assertTrue(already.getMessage().contains("already calibrated"), already.getMessage());
        // a dataset with another label count
        Path other = dir.resolve("other");
        org.e2enet.core.synth.SyntheticDataset.of(3, CalibrationFixtures.CASE).testCases(1).seed(1).structures(4).write(other);
        BadInputException classes = assertThrows(BadInputException.class,
                () -> Calibration.run(model, other, out, int8(1, List.of(), false), ProgressListener.NONE));
        assertTrue(classes.getMessage().contains("labels") && classes.getMessage().contains("dataset.json"), classes.getMessage());
        // labels without foreground
        Path empty = CalibrationFixtures.dataset(Files.createDirectories(dir.resolve("e")), phantoms, model, 3, 1, false);
        for (String id : CalibrationFixtures.ids(3)) {
            Path l = empty.resolve("labelsTr").resolve(id + ".nii.gz");
            var v = org.e2enet.core.nifti.NiftiReader.read(l);
            org.e2enet.core.nifti.NiftiWriter.standard().write(org.e2enet.core.volume.Volume.of(v.geometry(),
                    org.e2enet.core.volume.VoxelData.ofUnsignedBytes(new byte[v.shape().voxelsInt()])), l);
        }
        BadInputException few = assertThrows(BadInputException.class,
                () -> Calibration.run(model, empty, out, int8(1, List.of(), false), ProgressListener.NONE));
        assertTrue(few.getMessage().contains("foreground"), few.getMessage());
        // not an e2enet model
        Path notOurs = dir.resolve("plain.onnx");
        Files.write(notOurs, QuantizationMathTest.tinyGraph().toByteArray());
        assertThrows(BadInputException.class, () -> Calibration.run(notOurs, data, out, int8(1, List.of(), false), ProgressListener.NONE));
        assertFalse(Files.exists(out));
    }
}
