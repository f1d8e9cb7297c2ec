package org.e2enet.runtime.engine;

import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.engine.TensorRtBuild;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.e2enet.calibration.ActivationRange;
import org.e2enet.calibration.ActivationScheme;
import org.e2enet.calibration.Fp16Converter;
import org.e2enet.calibration.QdqQuantizer;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.exporter.ExportOptions;
import org.e2enet.exporter.ModelExport;
import org.e2enet.exporter.RandomBundles;
import org.e2enet.onnx.proto.OnnxMl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What native TensorRT would build from the graphs calibration writes, decided before any GPU library is touched
 * (the build itself needs a GPU): the s8 INT8 graph as explicit INT8, the u8 one refused in one line, the FP16 graph
 * with its norms held in FP32.
 */
class CalibratedTensorRtBuildTest {
    @TempDir
    Path dir;

    private Path exported() throws Exception {
        Path bundle = RandomBundles.write(RandomBundles.spec(2, 3, false, "channel"), null, dir, 3);
        Path onnx = dir.resolve("m.onnx");
        ModelExport.run(bundle, onnx, ExportOptions.PRUNED, ExportReport.besideModel(onnx));
        return onnx;
    }

    private static Path write(Path dir, String name, OnnxMl.ModelProto m) throws Exception {
        return Files.write(dir.resolve(name), m.toByteArray());
    }

    @Test
    void theCalibratedGraphsArePlannedAsNativeTensorRtBuildsBeforeAnyGpuLibraryIsTouched() throws Exception {
        E2eNetOnnx fp32 = E2eNetOnnx.read(exported());
        Map<String, ActivationRange> ranges = new java.util.HashMap<>();
        for (ActivationScheme scheme : ActivationScheme.values()) {
            for (String t : QdqQuantizer.tensorsToObserve(fp32.model(), Set.of(), scheme)) {
                ranges.put(t, new ActivationRange(-3, 3));
            }
        }
        Path s8 = write(dir, "s8.onnx", QdqQuantizer.quantize(fp32.model(), ranges, Set.of(), ActivationScheme.S8).model());
        TensorRtBuild b = TensorRtBuild.of(E2eNetOnnx.read(s8), BackendOptions.cpu(1));
        assertTrue(b.explicitInt8() && b.normsInFp32());
        assertEquals("int8", b.precision());
        Path u8 = write(dir, "u8.onnx", QdqQuantizer.quantize(fp32.model(), ranges, Set.of(), ActivationScheme.U8).model());
        BadInputException e = assertThrows(BadInputException.class, () -> TensorRtBuild.of(E2eNetOnnx.read(u8), BackendOptions.cpu(1)));
        assertTrue(e.getMessage().contains("symmetric int8"), e.getMessage());
        Path fp16 = write(dir, "fp16.onnx", Fp16Converter.convert(fp32.model(), Set.of()));
        TensorRtBuild h = TensorRtBuild.of(E2eNetOnnx.read(fp16), BackendOptions.builder().threads(1).fp16(true).engineCache(dir).maxBatch(2).build());
        assertTrue(h.fp16() && h.normsInFp32() && !h.explicitInt8());
        assertEquals(Fp16Converter.alwaysKept(fp32.model()), h.normalizations());
    }
}
