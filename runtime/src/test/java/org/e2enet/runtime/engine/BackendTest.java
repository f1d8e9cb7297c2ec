package org.e2enet.runtime.engine;

import org.e2enet.runtime.RuntimeFixtures;
import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.engine.OrtProviders;
import org.e2enet.runtime.engine.EngineCacheKey;
import org.e2enet.runtime.engine.OrtProviderSettings;
import org.e2enet.runtime.engine.AutoBackend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.devices.GpuStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backend choice, options and engine cache keys: everything about the GPU backends that can be checked without a GPU. */
class BackendTest {
    @TempDir
    Path dir;

    @Test
    void backendNamesParse() {
        for (Backend b : Backend.values()) {
            assertEquals(b, Backend.parse(b.label().toUpperCase(java.util.Locale.ROOT)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backend.parse("cuda"));
        assertTrue(e.getMessage().contains("tensorrt") && e.getMessage().contains("auto"), e.getMessage());
    }

    @Test
    void providerSettingsCarryCacheFp16AndExhaustiveConvSearch() {
        BackendOptions o = BackendOptions.builder().threads(2).fp16(true).engineCache(dir.resolve("engines")).deviceId(1).maxBatch(4).build();
        Map<String, String> trt = OrtProviderSettings.tensorrt(o, null, Map.of());
        assertEquals("1", trt.get("trt_engine_cache_enable"));
        assertEquals(dir.resolve("engines").resolve("ort-trt").resolve("tf32-on").toAbsolutePath().toString(), trt.get("trt_engine_cache_path"));
        assertEquals(dir.resolve("engines").resolve("ort-trt").resolve("tf32-off").toAbsolutePath().toString(),
                OrtProviderSettings.tensorrt(o, null, Map.of("NVIDIA_TF32_OVERRIDE", "0")).get("trt_engine_cache_path"),
                "an engine TensorRT built with TF32 is never taken for an FP32 one");
        assertEquals("1", trt.get("trt_fp16_enable"));
        assertEquals("1", trt.get("device_id"));
        assertEquals("0", OrtProviderSettings.tensorrt(BackendOptions.builder().threads(2).engineCache(dir).maxBatch(4).build(), null, Map.of()).get("trt_fp16_enable"));
        assertEquals("EXHAUSTIVE", OrtProviderSettings.cuda(o).get("cudnn_conv_algo_search"));
        assertTrue(BackendOptions.cpu(2).engineCache().toString().contains("engines"));
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.builder().threads(0).engineCache(dir).maxBatch(1).build());
    }

    @Test
    void engineCacheKeyChangesWithEverythingAnEngineDependsOn() throws Exception {
        Path a = Files.writeString(dir.resolve("a.onnx"), "model a");
        Path b = Files.writeString(dir.resolve("b.onnx"), "model b");
        // sha256("model a") computed independently with sha256sum
        assertEquals("d9b0632857ca4b418510f29709cdb45a8b560322ee007a447ab4ec7b9730b88e", EngineCacheKey.sha256(a));
        EngineCacheKey k = new EngineCacheKey(EngineCacheKey.sha256(a), "NVIDIA GeForce RTX 3090", 86, "fp16", 8, 8601);
        assertEquals(EngineCacheKey.sha256(a).substring(0, 16) + "-nvidia-geforce-rtx-3090-sm86-fp16-b8-trt8601.plan", k.fileName());
        assertNotEquals(k.fileName(), new EngineCacheKey(EngineCacheKey.sha256(b), k.gpuName(), 86, "fp16", 8, 8601).fileName());
        assertNotEquals(k.fileName(), new EngineCacheKey(k.modelSha256(), "NVIDIA H100 80GB HBM3", 90, "fp16", 8, 8601).fileName());
        assertNotEquals(k.fileName(), new EngineCacheKey(k.modelSha256(), k.gpuName(), 86, "fp32", 8, 8601).fileName());
        assertNotEquals(k.fileName(), new EngineCacheKey(k.modelSha256(), k.gpuName(), 86, "fp16", 4, 8601).fileName());
        assertNotEquals(k.fileName(), new EngineCacheKey(k.modelSha256(), k.gpuName(), 86, "fp16", 8, 8602).fileName());
    }

    @Test
    void providerProbeSaysWhichProvidersTheBuildOffersAndWhichInitialise() {
        List<OrtProviders.Status> p = OrtProviders.probe();
        assertEquals("CPUExecutionProvider", p.get(0).name());
        assertTrue(p.get(0).offered() && p.get(0).initialises());
        OrtProviders.Status cuda = p.stream().filter(s -> s.name().equals("CUDAExecutionProvider")).findFirst().orElseThrow();
        assertEquals(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), cuda.offered());
        if (!cuda.offered()) {
            assertTrue(!cuda.initialises() && cuda.reason().contains("-Pcuda"), cuda.reason());
        }
        assertTrue(p.stream().allMatch(s -> s.initialises() == (s.reason() == null)), p.toString());
    }

    @Test
    void autoRulesOutWhatTheMachineLacksBeforeTryingIt() throws Exception {
        Path none = Files.createDirectories(dir.resolve("nolibs"));
        GpuStack bare = GpuStack.scan(List.of(none), dir.resolve("no-driver"));
        List<OrtProviders.Status> cpuOnly = List.of(new OrtProviders.Status("CPUExecutionProvider", true, true, null),
                new OrtProviders.Status("CUDAExecutionProvider", false, false, "not in this ONNX Runtime build"),
                new OrtProviders.Status("TensorrtExecutionProvider", false, false, "not in this ONNX Runtime build"));
        assertEquals("no NVIDIA driver", AutoBackend.skipReason(Backend.TENSORRT, bare, cpuOnly));
        assertEquals("CUDAExecutionProvider: not in this ONNX Runtime build", AutoBackend.skipReason(Backend.ORT_CUDA, bare, cpuOnly));
        assertEquals(null, AutoBackend.skipReason(Backend.ORT_CPU, bare, cpuOnly));
        Path libs = Files.createDirectories(dir.resolve("libs"));
        for (String f : new String[] {"libcuda.so.1", "libcudart.so.12.9.37", "libcublas.so.12.9.1", "libnvinfer.so.8.6.1", "libnvonnxparser.so.8.6.1"}) {
            Files.createFile(libs.resolve(f));
        }
        Path driver = Files.writeString(dir.resolve("version"), "NVRM version: NVIDIA UNIX x86_64 Kernel Module  575.51.03  Tue\n");
        GpuStack oldTrt = GpuStack.scan(List.of(libs), driver);
        assertEquals("TensorRT 8.6.1 found, this build needs 10.x; TensorRT ONNX parser 8.6.1 found, this build needs 10.x",
                AutoBackend.skipReason(Backend.TENSORRT, oldTrt, cpuOnly), "cuDNN is not needed by native TensorRT 10");
        List<OrtProviders.Status> gpu = List.of(new OrtProviders.Status("CUDAExecutionProvider", true, true, null),
                new OrtProviders.Status("TensorrtExecutionProvider", true, false, "libnvinfer.so.10: cannot open shared object file"));
        assertEquals(null, AutoBackend.skipReason(Backend.ORT_CUDA, oldTrt, gpu));
        assertEquals("TensorrtExecutionProvider: libnvinfer.so.10: cannot open shared object file", AutoBackend.skipReason(Backend.ORT_TRT, oldTrt, gpu));
    }

    @Test
    void missingGpuLibrariesAreExplainedAndAutoFallsBackToTheCpu() throws Exception {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this machine has ONNX Runtime's CUDA provider");
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path onnx = RuntimeFixtures.export(spec, dir, 3);
        BadInputException trt = assertThrows(BadInputException.class, () -> OnnxModel.open(onnx, Backend.TENSORRT, 1));
        assertTrue(trt.getMessage().contains("TensorRT 10") && trt.getMessage().contains("libnvinfer.so.10")
                && trt.getMessage().contains(GpuStack.EXPECTED), trt.getMessage());
        BadInputException ortTrt = assertThrows(BadInputException.class, () -> OnnxModel.open(onnx, Backend.ORT_TRT, 1));
        assertTrue(ortTrt.getMessage().contains("-Pcuda") && ortTrt.getMessage().contains("TensorRT"), ortTrt.getMessage());
        try (OnnxModel auto = OnnxModel.open(onnx, Backend.AUTO, BackendOptions.cpu(1))) {
            assertEquals(Backend.ORT_CPU, auto.backend());
            assertTrue(auto.choice().startsWith("auto chose ort-cpu") && auto.choice().contains("tensorrt unavailable")
                    && auto.choice().contains("ort-cuda unavailable"), auto.choice());
        }
    }
}
