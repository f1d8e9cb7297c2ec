package org.e2enet.runtime;

import org.e2enet.runtime.bench.TileTimer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.core.spec.DsffSettings;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Volume;
import org.e2enet.devices.DeploymentPlanner;
import org.e2enet.devices.DeploymentProfile;
import org.e2enet.devices.ModelVariants;
import org.e2enet.exporter.ExportOptions;
import org.e2enet.exporter.ModelExport;
import org.e2enet.exporter.RandomBundles;
import org.e2enet.onnx.proto.OnnxMl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentsTest {
    @TempDir
    Path dir;

    @Test
    void aReducedPrecisionModelTakesPartOnlyWhenItsCalibrationGatePassed() throws Exception {
        Path fp32 = RuntimeFixtures.export(RuntimeFixtures.spec(new int[] {16, 32, 32}, 3), dir, 2);
        assertEquals(null, ModelVariants.of(fp32).gateNote(), "FP32 passes by definition");
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(fp32));
        Path int8 = dir.resolve("m-int8.onnx");
        Files.write(int8, m.toBuilder().addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(OnnxContract.PRECISION)
                .setValue("int8")).build().toByteArray());
        assertTrue(ModelVariants.of(int8).gateNote().startsWith("no calibration report m-int8.calibration.json"));
        Path report = dir.resolve("m-int8" + OnnxContract.CALIBRATION_REPORT_SUFFIX);
        // a report that is not one (no format tag) does not pass the gate, whatever it says
        Files.writeString(report, "{\"passed\": true}");
        assertTrue(ModelVariants.of(int8).gateNote().startsWith("calibration report unusable: unsupported calibration report format"),
                ModelVariants.of(int8).gateNote());
        String format = "\"format\": \"" + OnnxContract.CALIBRATION_REPORT_FORMAT + "\", ";
        Files.writeString(report, "{" + format + "\"passed\": false}");
        assertEquals("calibration gate failed (m-int8.calibration.json)", ModelVariants.of(int8).gateNote());
        Files.writeString(report, "{" + format + "\"passed\": true}");
        DeploymentPlanner.Variant v = ModelVariants.of(int8);
        assertEquals(null, v.gateNote());
        assertEquals("int8", v.precision());
    }

    @Test
    void thePlannerPicksThePrunedModelAndPredictingFromItsProfileEqualsPredictingWithItsSettings() throws Exception {
        // the quickstart's tiny channels, where the pruned export is about 2.5x faster than the dense one
        ModelSpec spec = new ModelSpec(1, 3, 8, 64, new int[][] {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}}, 3, new int[] {16, 48, 48}, 0.8,
                Granularity.CHANNEL, DsffSettings.PAPER);
        Path bundle = RandomBundles.write(spec, RuntimeFixtures.plans(3), dir, 8);
        Path pruned = dir.resolve("pruned.onnx");
        Path dense = dir.resolve("dense.onnx");
        ModelExport.run(bundle, pruned, ExportOptions.PRUNED, ExportReport.besideModel(pruned));
        ModelExport.run(bundle, dense, ExportOptions.DENSE, ExportReport.besideModel(dense));
        DeploymentProfile p = DeploymentPlanner.plan(List.of(ModelVariants.of(dense), ModelVariants.of(pruned)), List.of("ort-cpu"),
                List.of(1), List.of(1), Long.MAX_VALUE, new TileTimer(5, BackendOptions.cpu(1)));
        assertEquals(pruned.toString(), p.model(), p.candidates().toString());
        Path profile = dir.resolve("deployment.json");
        p.write(profile);

        Volume image = SegmenterTest.phantom(new Shape3(20, 60, 56), 3);
        float[] planned;
        try (Segmenter s = Deployments.open(profile, SegmenterOptions.defaults())) {
            assertEquals(Backend.ORT_CPU, s.model().backend());
            assertEquals(1, s.model().threads());
            planned = s.segment("c", List.of(image)).labels().floats(0);
        }
        try (Segmenter s = Segmenter.open(pruned, Backend.ORT_CPU, 1, SegmenterOptions.builder().batch(1).build())) {
            assertArrayEquals(planned, s.segment("c", List.of(image)).labels().floats(0));
        }

        Files.write(pruned, Files.readAllBytes(dense));
        BadInputException changed = assertThrows(BadInputException.class, () -> Deployments.open(profile, SegmenterOptions.defaults()));
        assertTrue(changed.getMessage().contains("deployment.json") && changed.getMessage().contains("changed since planning"),
                changed.getMessage());
        Files.delete(pruned);
        BadInputException missing = assertThrows(BadInputException.class, () -> Deployments.open(profile, SegmenterOptions.defaults()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        DeploymentProfile gpu = new DeploymentProfile(DeploymentProfile.FORMAT, dense.toString(), ModelVariants.of(dense).sha256(), "tensorrt",
                "fp32", 1, 1, 1.0, List.of());
        Path gpuProfile = dir.resolve("gpu.json");
        gpu.write(gpuProfile);
        BadInputException lacks = assertThrows(org.e2enet.core.io.BackendUnavailableException.class, () -> Deployments.open(gpuProfile, SegmenterOptions.defaults()));
        assertTrue(lacks.getMessage().contains("gpu.json") && lacks.getMessage().contains("backend tensorrt cannot run here"),
                lacks.getMessage());
    }
}
