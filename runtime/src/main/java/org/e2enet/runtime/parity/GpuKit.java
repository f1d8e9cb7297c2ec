package org.e2enet.runtime.parity;

import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.engine.OrtProviders;
import org.e2enet.runtime.engine.OrtSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.io.JsonDocuments;

/**
 * The GPU suite's runtime checks for a machine without Java tooling: the kit that {@code bin/gpu-kit} packs (a jlink
 * runtime, the runtime's jars, a trained bundle and its exported models) runs this main there, twice. For every backend
 * and precision (FP32; FP16 on the TensorRT backends; the s8 INT8 model on native TensorRT) it opens the model and checks
 * parity against the bundle's golden logits. Each TensorRT check has its own engine cache under ENGINE_CACHE: a check
 * whose cache already held files and that changed none reused it, which the second run (a new process) shows. A backend
 * that does not start is reported with its reason; one that starts and then fails is a failure. Prints one JSON object.
 */
public final class GpuKit {
    private GpuKit() {
    }

    /**
     * One check's outcome.
     *
     * @param outcome PASSED, FAILED (with what failed) or unavailable (with why)
     * @param cacheReused for the TensorRT backends: whether the open found its engine cache filled and changed nothing
     */
    record Check(String backend, String model, boolean fp16, String outcome, ParityReport parity, String tolerance, Boolean cacheReused) {
    }

    /**
     * Usage: {@code GpuKit BUNDLE FP32.onnx INT8.onnx|- ENGINE_CACHE}; exit status 0 when every backend that started
     * passed, 1 when one failed.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: GpuKit BUNDLE FP32.onnx INT8.onnx|- ENGINE_CACHE");
            System.exit(2);
        }
        ModelBundle bundle = ModelBundle.read(Path.of(args[0]));
        Path fp32 = Path.of(args[1]);
        Path cache = Path.of(args[3]);
        List<Check> checks = new ArrayList<>();
        for (Backend b : List.of(Backend.ORT_CPU, Backend.ORT_CUDA, Backend.ORT_TRT, Backend.TENSORRT)) {
            checks.add(check(bundle, fp32, b, false, cache));
            if (b == Backend.ORT_TRT || b == Backend.TENSORRT) {
                checks.add(check(bundle, fp32, b, true, cache));
            }
        }
        if (!args[2].equals("-")) {
            checks.add(check(bundle, Path.of(args[2]), Backend.TENSORRT, false, cache));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("gpuStack", org.e2enet.devices.GpuStack.scan().summary());
        out.put("ortProviders", OrtProviders.probe());
        out.put("checks", checks);
        System.out.println(JsonDocuments.toJson(out));
        System.exit(checks.stream().anyMatch(c -> c.outcome().startsWith("FAILED")) ? 1 : 0);
    }

    private static Check check(ModelBundle bundle, Path model, Backend b, boolean fp16, Path cacheRoot) throws IOException {
        String name = model.getFileName().toString();
        Path cache = cacheRoot.resolve(b.label() + (fp16 ? "-fp16" : "") + "-" + name);
        BackendOptions options = BackendOptions.builder().threads(Runtime.getRuntime().availableProcessors()).fp16(fp16).engineCache(cache).maxBatch(8).build();
        Map<Path, FileTime> before = files(cache);
        OnnxModel m;
        try {
            m = OnnxModel.open(model, b, options);
        } catch (RuntimeException | LinkageError e) {
            return new Check(b.label(), name, fp16, "unavailable: " + OrtSessions.firstLine(String.valueOf(e.getMessage())), null, null, null);
        }
        ParityReport report;
        try (m) {
            report = ParityCheck.run(bundle, model, m);
        } catch (RuntimeException | LinkageError e) {
            return new Check(b.label(), name, fp16, "FAILED: " + e.getClass().getSimpleName() + ": " + OrtSessions.firstLine(String.valueOf(e.getMessage())),
                    null, null, null);
        }
        Boolean reused = b == Backend.ORT_TRT || b == Backend.TENSORRT ? !before.isEmpty() && before.equals(files(cache)) : null;
        return new Check(b.label(), name, fp16, report.passed() ? "PASSED" : "FAILED: " + String.join("; ", report.failures()), report,
                report.tolerance().name(), reused);
    }

    private static Map<Path, FileTime> files(Path dir) throws IOException {
        Map<Path, FileTime> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(p, Files.getLastModifiedTime(p));
            }
        }
        return out;
    }
}
