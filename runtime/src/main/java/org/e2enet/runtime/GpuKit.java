package org.e2enet.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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

/**
 * The GPU suite's runtime checks for a machine without Java tooling: the kit that {@code bin/gpu-kit} packs (a jlink
 * runtime, the runtime's jars, a trained bundle and its exported models) runs this main there. For every backend and
 * precision (FP32; FP16 on the TensorRT backends; the s8 INT8 model on native TensorRT) it opens the model, checks parity
 * against the bundle's golden logits, and opens it a second time to show the TensorRT engine caches are reused (their
 * files unchanged). A backend that does not start here is reported with its reason. Prints one JSON object.
 */
public final class GpuKit {
    private GpuKit() {
    }

    /** One check's outcome. */
    record Check(String backend, String model, boolean fp16, String outcome, ParityReport parity, String tolerance, Boolean cacheReused) {
    }

    /**
     * Usage: {@code GpuKit BUNDLE FP32.onnx INT8.onnx ENGINE_CACHE}; exit status 0 when every backend that started passed,
     * 1 when one failed.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: GpuKit BUNDLE FP32.onnx INT8.onnx ENGINE_CACHE");
            System.exit(2);
        }
        ModelBundle bundle = ModelBundle.read(Path.of(args[0]));
        Path fp32 = Path.of(args[1]);
        Path int8 = Path.of(args[2]);
        Path cache = Path.of(args[3]);
        List<Check> checks = new ArrayList<>();
        for (Backend b : List.of(Backend.ORT_CPU, Backend.ORT_CUDA, Backend.ORT_TRT, Backend.TENSORRT)) {
            checks.add(check(bundle, fp32, b, false, cache));
            if (b == Backend.ORT_TRT || b == Backend.TENSORRT) {
                checks.add(check(bundle, fp32, b, true, cache));
            }
        }
        checks.add(check(bundle, int8, Backend.TENSORRT, false, cache));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("gpuStack", org.e2enet.devices.GpuStack.scan().summary());
        out.put("ortProviders", OrtProviders.probe());
        out.put("checks", checks);
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        System.exit(checks.stream().anyMatch(c -> c.outcome().equals("FAILED")) ? 1 : 0);
    }

    private static Check check(ModelBundle bundle, Path model, Backend b, boolean fp16, Path cache) throws IOException {
        BackendOptions options = new BackendOptions(Runtime.getRuntime().availableProcessors(), fp16, cache, 0, 8);
        String name = model.getFileName().toString();
        ParityReport report;
        try (OnnxModel m = OnnxModel.open(model, b, options)) {
            report = ParityCheck.run(bundle, model, m);
        } catch (RuntimeException | LinkageError e) {
            return new Check(b.label(), name, fp16, "unavailable: " + OrtEngine.firstLine(String.valueOf(e.getMessage())), null, null, null);
        }
        Boolean reused = null;
        if (b == Backend.ORT_TRT || b == Backend.TENSORRT) {
            Map<Path, FileTime> before = files(cache);
            try (OnnxModel again = OnnxModel.open(model, b, options)) {
                reused = before.equals(files(cache));
            }
        }
        return new Check(b.label(), name, fp16, report.passed() ? "PASSED" : "FAILED", report, report.tolerance().name(), reused);
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
