package org.e2enet.cli;

import org.e2enet.runtime.parity.GpuKit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.e2enet.cli.CommandLineTest.Result;
import org.e2enet.core.metrics.EvaluationReport;
import org.e2enet.devices.Machine;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.engine.OrtProviders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU suite: what only a machine with an NVIDIA GPU can show, run where one is ({@code mvn -B -ntp install -Pcuda
 * -Dgroups=gpu}, README "GPU builds") and skipped, saying why, everywhere else. A small quickstart-like model is
 * trained on the CPU once; then parity on each GPU backend in FP32 (TF32 off: the build sets
 * {@code NVIDIA_TF32_OVERRIDE=0} for tests) and in FP16 (the reduced rules), an INT8 TensorRT engine from the s8
 * calibrated model held to the calibration gate, training on the GPU after its engine check (its golden logits computed
 * on the CPU; with the override set, cuDNN would compute FP32 too, so this checks that path works, not that TF32 would
 * have broken the GPU's), and the TensorRT engine caches reused by a second process.
 */
@Tag("gpu")
class GpuSuiteTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path bundle;
    static Path onnx;

    /** Why the suite cannot run here, or null where it can. */
    static String noGpu;

    /**
     * Finds out whether this machine has an NVIDIA GPU that ONNX Runtime's CUDA provider starts on; where it has, trains
     * and exports the model the tests share.
     */
    @BeforeAll
    static void gpuAndModel() throws Exception {
        Machine m = Machine.discover();
        OrtProviders.Status cuda = OrtProviders.probe().stream().filter(s -> s.name().equals("CUDAExecutionProvider")).findFirst().orElseThrow();
        noGpu = m.gpus().isEmpty() ? "no NVIDIA GPU here (" + m.gpuAbsentReason() + "): the GPU suite runs only where one is"
                : !cuda.initialises() ? "ONNX Runtime's CUDA provider does not start here (" + cuda.reason() + "): build with -Pcuda" : null;
        if (noGpu != null) {
            return;
        }
        data = dir.resolve("phantoms");
        bundle = dir.resolve("model");
        onnx = dir.resolve("model.onnx");
        ok(CommandLineTest.run("synth", "--out", data.toString(), "--cases", "8", "--test-cases", "2", "--shape", "32", "48", "48"));
        ok(CommandLineTest.run("train", "--dataset", data.toString(), "--preset", "tiny", "--granularity", "channel", "--patch", "16", "48",
                "48", "--out", bundle.toString(), "--epochs", "6", "--iters-per-epoch", "50"));
        ok(CommandLineTest.run("export", "--model", bundle.toString(), "--out", onnx.toString()));
    }

    /** Each test is skipped, with the reason, where there is no GPU. */
    @BeforeEach
    void requireGpu() {
        assumeTrue(noGpu == null, noGpu);
    }

    private static Result ok(Result r) {
        assertEquals(0, r.code(), r.out() + r.err());
        return r;
    }

    private static JsonNode parity(Path model, String backend, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("parity", "--model", bundle.toString(), "--onnx", model.toString(), "--backend",
                backend, "--engine-cache", dir.resolve("engines").toString(), "--json"));
        args.addAll(List.of(extra));
        Result r = CommandLineTest.run(args.toArray(String[]::new));
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(backend, j.get("backend").asText(), "the backend asked for is the one that ran");
        return j;
    }

    @Test
    void fp32ParityHoldsOnEveryGpuBackendWithTf32Off() throws Exception {
        for (String backend : new String[] {"ort-cuda", "ort-trt", "tensorrt"}) {
            JsonNode j = parity(onnx, backend);
            assertTrue(j.get("passed").asBoolean(), backend + ": " + j);
            assertEquals("fp32", j.get("report").get("tolerance").get("name").asText(), backend + " is held to the FP32 limits");
        }
    }

    @Test
    void fp16ParityHoldsOnTensorRtUnderTheReducedRules() throws Exception {
        for (String backend : new String[] {"ort-trt", "tensorrt"}) {
            JsonNode j = parity(onnx, backend, "--fp16");
            assertTrue(j.get("passed").asBoolean(), backend + " --fp16: " + j);
            assertTrue(j.get("report").get("tolerance").get("name").asText().contains("FP16"), j.toString());
        }
    }

    @Test
    void anInt8EngineBuiltFromTheS8CalibratedModelStaysWithinTheGate() throws Exception {
        Path int8 = dir.resolve("model.int8.onnx");
        ok(CommandLineTest.run("calibrate", "--onnx", onnx.toString(), "--dataset", data.toString(), "--precision", "int8", "--activations",
                "s8", "--out", int8.toString()));
        JsonNode gate = new ObjectMapper().readTree(dir.resolve("model.int8.calibration.json").toFile()).get("gate");
        BackendOptions gpu = BackendOptions.builder().threads(4).engineCache(dir.resolve("engines")).maxBatch(8).build();
        PrintWriter quiet = new PrintWriter(new StringWriter());
        EvaluationReport fp32 = QuickstartCommand.predictAndEvaluate(onnx, Backend.ORT_CPU, BackendOptions.cpu(4), data, dir.resolve("p32"), quiet);
        EvaluationReport trt = QuickstartCommand.predictAndEvaluate(int8, Backend.TENSORRT, gpu, data, dir.resolve("p8"), quiet);
        double drop = (fp32.meanDice() - trt.meanDice()) * 100;
        assertTrue(drop <= gate.get("maxDropPoints").asDouble(), "TensorRT INT8 drops " + drop + " Dice points, the gate allows "
                + gate.get("maxDropPoints"));
    }

    @Test
    void tinyTrainsOnTheGpuAfterItsEngineCheckPassesThereAndItsGoldenLogitsHoldTheFp32LimitsOnTheCpu() throws Exception {
        Path gpuModel = dir.resolve("gpu-model");
        Result r = ok(CommandLineTest.run("train", "--dataset", data.toString(), "--preset", "tiny", "--device", "gpu", "--out",
                gpuModel.toString(), "--epochs", "1", "--iters-per-epoch", "5"));
        assertTrue(r.out().contains("engine check: PyTorch") && r.out().contains("gpu") && r.out().contains("passed"), r.out());
        Path exported = dir.resolve("gpu-model.onnx");
        ok(CommandLineTest.run("export", "--model", gpuModel.toString(), "--out", exported.toString()));
        Result parity = CommandLineTest.run("parity", "--model", gpuModel.toString(), "--onnx", exported.toString(), "--backend", "ort-cpu");
        assertEquals(0, parity.code(), "the fixtures of a GPU-trained bundle hold the FP32 limits on the CPU: " + parity.out());
    }

    /** GpuKit's JSON from a new JVM on this test's model, with engine caches under {@code cache}. */
    private static JsonNode gpuKitInANewProcess(Path cache) throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"), "org.e2enet.runtime.GpuKit",
                bundle.toString(), onnx.toString(), "-", cache.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return new ObjectMapper().readTree(out);
    }

    @Test
    void theTensorRtEngineCachesAreWrittenOnceAndReusedByTheNextProcess() throws Exception {
        Path cache = dir.resolve("engines-reuse");
        gpuKitInANewProcess(cache);
        JsonNode second = gpuKitInANewProcess(cache);
        int trtChecks = 0;
        for (JsonNode c : second.get("checks")) {
            String backend = c.get("backend").asText();
            if (backend.equals("tensorrt") || backend.equals("ort-trt")) {
                trtChecks++;
                assertEquals("PASSED", c.get("outcome").asText(), c.toString());
                assertTrue(c.get("cacheReused").asBoolean(), backend + (c.get("fp16").asBoolean() ? " --fp16" : "")
                        + ": the second process rebuilt its engine or found no cache: " + c);
            }
        }
        assertEquals(4, trtChecks, "FP32 and FP16 on both TensorRT backends");
    }
}
