package org.e2enet.runtime.engine;

import org.e2enet.runtime.RuntimeFixtures;
import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.EnginePrecision;
import org.e2enet.runtime.engine.OrtProviders;
import org.e2enet.runtime.engine.TensorRtEnums;
import org.e2enet.runtime.engine.OrtProviderSettings;
import org.e2enet.runtime.engine.OrtEngine;
import org.e2enet.runtime.parity.ParityTolerance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.ModelPrecision;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.testing.Javap;
import org.e2enet.devices.GpuStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU paths' decisions, checked without a GPU: provider order, JavaCPP enums, the engine's precision in
 * parity, auto's fallback, TensorRT's optimisation profile in ONNX Runtime, and the provider probe's verdicts.
 */
class GpuPathsTest {
    @TempDir
    Path dir;

    @Test
    void ortTrtRegistersTensorRtBeforeCudaSoThatTensorRtTakesTheNodes() {
        assertEquals(List.of(OrtProvider.TENSOR_RT, OrtProvider.CUDA), OrtEngine.providers(Backend.ORT_TRT));
        assertEquals(List.of(OrtProvider.CUDA), OrtEngine.providers(Backend.ORT_CUDA));
        assertEquals(List.of(), OrtEngine.providers(Backend.ORT_CPU));
    }

    /** An enum object as JavaCPP makes one for a value a native call returns: not the constant, same value. */
    @SuppressWarnings("unchecked")
    private static <E extends Enum<E>> E asJavaCppReturnsIt(E constant) throws Exception {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        sun.misc.Unsafe unsafe = (sun.misc.Unsafe) f.get(null);
        E made = (E) unsafe.allocateInstance(constant.getDeclaringClass());
        Field value = constant.getDeclaringClass().getField("value");
        unsafe.putInt(made, unsafe.objectFieldOffset(value), value.getInt(constant));
        return made;
    }

    @Test
    void tensorRtsEnumsAreJudgedByValueAsJavaCppHandsThemBack() throws Exception {
        nvinfer.LayerType norm = asJavaCppReturnsIt(nvinfer.LayerType.kNORMALIZATION);
        assertNotSame(nvinfer.LayerType.kNORMALIZATION, norm, "identity fails on what JavaCPP returns");
        assertTrue(TensorRtEnums.isNormalization(norm), "a normalisation layer TensorRT returns is held in FP32");
        assertFalse(TensorRtEnums.isNormalization(asJavaCppReturnsIt(nvinfer.LayerType.kCONVOLUTION)));
        assertEquals(System.Logger.Level.ERROR, TensorRtEnums.level(asJavaCppReturnsIt(ILogger.Severity.kINTERNAL_ERROR)));
        assertEquals(System.Logger.Level.ERROR, TensorRtEnums.level(asJavaCppReturnsIt(ILogger.Severity.kERROR)));
        assertEquals(System.Logger.Level.WARNING, TensorRtEnums.level(asJavaCppReturnsIt(ILogger.Severity.kWARNING)));
        assertEquals(System.Logger.Level.INFO, TensorRtEnums.level(asJavaCppReturnsIt(ILogger.Severity.kINFO)));
        assertEquals(System.Logger.Level.DEBUG, TensorRtEnums.level(asJavaCppReturnsIt(ILogger.Severity.kVERBOSE)));
    }

    /**
     * No class of the runtime compares a bytedeco enum by identity ({@code ==} against a constant, or a {@code switch},
     * which reads {@code ordinal()}, 0 on JavaCPP's objects): read from the compiled bytecode with javap.
     */
    @Test
    void noRuntimeClassComparesABytedecoEnumByIdentity() throws Exception {
        Path classes = Path.of(OnnxModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes)) {
            files = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path f : files) {
            found.addAll(identityComparisons(f.getFileName().toString(), Javap.disassemble(f)));
        }
        assertEquals(List.of(), found);
    }

    /** The places in one class's disassembly where a bytedeco enum constant meets {@code if_acmp*}, or an ordinal is read. */
    static List<String> identityComparisons(String name, String javap) {
        List<String> out = new ArrayList<>();
        String[] lines = javap.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.contains("getstatic") && l.contains("Field org/bytedeco/") && l.contains(":Lorg/bytedeco/")) {
                for (int k = i + 1; k < Math.min(lines.length, i + 4); k++) {
                    if (lines[k].contains("if_acmp")) {
                        out.add(name + ": " + l.trim() + " / " + lines[k].trim());
                    }
                }
            }
            if (l.contains("Method org/bytedeco/") && l.contains(".ordinal:")) {
                out.add(name + ": " + l.trim());
            }
        }
        return out;
    }

    @Test
    void theIdentityScanFindsTheComparisonItLooksFor() {
        String disassembly = """
                     5: invokevirtual #7                  // Method org/bytedeco/tensorrt/nvinfer/ILayer.getType:()Lorg/bytedeco/tensorrt/global/nvinfer$LayerType;
                     8: getstatic     #13                 // Field org/bytedeco/tensorrt/global/nvinfer$LayerType.kNORMALIZATION:Lorg/bytedeco/tensorrt/global/nvinfer$LayerType;
                    11: if_acmpne     40
                """;
        assertEquals(1, identityComparisons("X.class", disassembly).size());
    }

    @Test
    void parityHoldsAnFp32ModelOnAnFp16OrTf32EngineToTheReducedRules() {
        BackendOptions fp32 = BackendOptions.cpu(1);
        BackendOptions fp16 = BackendOptions.builder().threads(1).fp16(true).engineCache(dir).maxBatch(8).build();
        assertEquals(EnginePrecision.FP16, EnginePrecision.of(Backend.TENSORRT, fp16, Map.of()));
        assertEquals(EnginePrecision.FP32, EnginePrecision.of(Backend.TENSORRT, fp32, Map.of()), "native TensorRT clears kTF32");
        assertEquals(EnginePrecision.FP16, EnginePrecision.of(Backend.ORT_TRT, fp16, Map.of()));
        assertEquals(EnginePrecision.TF32, EnginePrecision.of(Backend.ORT_TRT, fp32, Map.of()), "ONNX Runtime's TensorRT provider cannot turn TF32 off");
        assertEquals(EnginePrecision.FP32, EnginePrecision.of(Backend.ORT_TRT, fp32, Map.of(EnginePrecision.TF32_OVERRIDE, "0")));
        assertEquals(EnginePrecision.FP32, EnginePrecision.of(Backend.ORT_CUDA, fp32, Map.of()));
        assertEquals("0", OrtProviderSettings.cuda(fp32).get("use_tf32"), "the CUDA provider is told to keep FP32");
        assertEquals(EnginePrecision.FP32, EnginePrecision.of(Backend.ORT_CPU, fp16, Map.of()), "--fp16 means nothing to the CPU");

        assertSame(ParityTolerance.FP32, ParityTolerance.of(ModelPrecision.FP32, EnginePrecision.FP32));
        ParityTolerance onFp16 = ParityTolerance.of(ModelPrecision.FP32, EnginePrecision.FP16);
        assertFalse(onFp16.logits(), "FP32 logit limits do not hold an FP16 engine");
        assertEquals(0.99, onFp16.minAgreement());
        assertTrue(onFp16.name().contains("FP16"), onFp16.name());
        assertTrue(ParityTolerance.of(ModelPrecision.FP32, EnginePrecision.TF32).name().contains("TF32"));
        assertSame(ParityTolerance.REDUCED, ParityTolerance.of(ModelPrecision.INT8, EnginePrecision.FP32));
    }

    @Test
    void ortTrtBuildsOneProfileOverTheTileBatchesInsteadOfAnEngineForEachShape() {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 48}, 3);
        Map<String, String> trt = OrtProviderSettings.tensorrt(BackendOptions.builder().threads(1).engineCache(dir).maxBatch(8).build(), spec, Map.of());
        String in = org.e2enet.core.onnx.OnnxContract.INPUT;
        assertEquals(in + ":1x1x16x32x48", trt.get("trt_profile_min_shapes"));
        assertEquals(in + ":8x1x16x32x48", trt.get("trt_profile_opt_shapes"));
        assertEquals(in + ":8x1x16x32x48", trt.get("trt_profile_max_shapes"));
        assertFalse(OrtProviderSettings.tensorrt(BackendOptions.builder().threads(1).engineCache(dir).maxBatch(8).build(), null, Map.of()).containsKey("trt_profile_min_shapes"),
                "a graph that is not an E2ENet (the engine check's) gets no profile");
    }

    /** A stack that rules out nothing: every library this build needs and a recent driver, as files. */
    private GpuStack fullStack() throws Exception {
        Path libs = Files.createDirectories(dir.resolve("libs"));
        for (String f : new String[] {"libcuda.so.1", "libcudart.so.12.9.37", "libcublas.so.12.9.1.4", "libcudnn.so.9.10.1", "libnvinfer.so.10.12.0",
            "libnvonnxparser.so.10.12.0"}) {
            Files.createFile(libs.resolve(f));
        }
        Path driver = Files.writeString(dir.resolve("version"), "NVRM version: NVIDIA UNIX x86_64 Kernel Module  575.51.03  Tue\n");
        return GpuStack.scan(List.of(libs), driver);
    }

    @Test
    void autoMovesOnAfterAnyFailureOfAGpuEnginesStartAndNamesIt() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        E2eNetOnnx onnx = E2eNetOnnx.read(RuntimeFixtures.export(spec, dir, 3));
        List<OrtProviders.Status> all = List.of(new OrtProviders.Status("CPUExecutionProvider", true, true, null),
                new OrtProviders.Status("CUDAExecutionProvider", true, true, null),
                new OrtProviders.Status("TensorrtExecutionProvider", true, true, null));
        List<Backend> tried = new ArrayList<>();
        Engines.Starter starter = (m, b, o) -> {
            tried.add(b);
            return switch (b) {
                case TENSORRT -> throw new IllegalStateException("tensorrt: building the engine failed: out of memory");
                case ORT_TRT -> throw new UncheckedIOException("cannot write the engine cache /ro", new java.io.IOException("read-only"));
                case ORT_CUDA -> throw new UnsatisfiedLinkError("libcudnn.so.9: cannot open shared object file");
                default -> OrtEngine.open(m, b, o);
            };
        };
        Engines.Started started = Engines.auto(onnx, BackendOptions.cpu(1), fullStack(), all, starter);
        try (TileEngine m = started.engine()) {
            assertEquals(Backend.ORT_CPU, started.backend());
            assertEquals(List.of(Backend.TENSORRT, Backend.ORT_TRT, Backend.ORT_CUDA, Backend.ORT_CPU), tried);
            assertEquals("auto chose ort-cpu (tensorrt failed: IllegalStateException: tensorrt: building the engine failed: out of memory; "
                    + "ort-trt failed: UncheckedIOException: cannot write the engine cache /ro; "
                    + "ort-cuda failed: UnsatisfiedLinkError: libcudnn.so.9: cannot open shared object file)", started.choice());
            assertEquals(3 * 16 * 32 * 32, m.run(new float[16 * 32 * 32], new long[] {1, 1, 16, 32, 32}).length);
        }
    }

    @Test
    void aProviderWhoseLibraryLoadsButWhoseDeviceDoesNotStartIsNotCountedAsInitialising() {
        List<OrtProviders.Status> s = OrtProviders.probe(EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA, OrtProvider.TENSOR_RT), 0, (p, d) -> {
            throw new OrtException("CUDA failure 100: no CUDA-capable device is detected ; GPU=0");
        });
        OrtProviders.Status cuda = s.get(1);
        assertEquals("CUDAExecutionProvider", cuda.name());
        assertTrue(cuda.offered() && !cuda.initialises(), cuda.toString());
        assertEquals("CUDA failure 100: no CUDA-capable device is detected ; GPU=0", cuda.reason());
        assertFalse(s.get(2).initialises());
        List<OrtProviders.Status> cudaOnly = OrtProviders.probe(EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA, OrtProvider.TENSOR_RT), 0,
                (p, d) -> {
                    if (p == OrtProvider.CUDA) {
                        throw new OrtException("CUDA failure 100: no CUDA-capable device is detected");
                    }
                });
        assertEquals("its CUDA device does not start: CUDA failure 100: no CUDA-capable device is detected", cudaOnly.get(2).reason(),
                "TensorRT's library loads, but it runs on CUDA's device");
        List<OrtProviders.Status> fine = OrtProviders.probe(EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA), 0, (p, d) -> { });
        assertTrue(fine.get(1).initialises());
        assertEquals("not in this ONNX Runtime build (mvn install -Pcuda brings onnxruntime_gpu)", fine.get(2).reason());
    }
}
