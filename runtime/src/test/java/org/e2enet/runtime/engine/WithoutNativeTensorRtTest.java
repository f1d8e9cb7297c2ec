package org.e2enet.runtime.engine;

import org.e2enet.runtime.RuntimeFixtures;
import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.engine.NativeTensorRtJars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native TensorRT's bindings are optional dependencies: a service without them runs every ONNX Runtime backend, and asking
 * for {@code tensorrt} says what to add. Run in a new JVM whose class path leaves the bytedeco jars out.
 */
class WithoutNativeTensorRtTest {
    @TempDir
    Path dir;

    /** Opens the model on the CPU, then asks for native TensorRT and for auto; prints what each gave. */
    public static void main(String[] args) {
        Path onnx = Path.of(args[0]);
        try (OnnxModel cpu = OnnxModel.open(onnx, Backend.ORT_CPU, 1)) {
            System.out.println("ort-cpu: " + cpu.run(new float[16 * 32 * 32], new long[] {1, 1, 16, 32, 32}).length);
        }
        try (OnnxModel trt = OnnxModel.open(onnx, Backend.TENSORRT, 1)) {
            System.out.println("tensorrt: opened");
        } catch (BadInputException e) {
            System.out.println("tensorrt: " + e.getMessage());
        }
        try (OnnxModel auto = OnnxModel.open(onnx, Backend.AUTO, BackendOptions.cpu(1))) {
            System.out.println("auto: " + auto.choice());
        }
    }

    @Test
    void aClassPathWithoutTheBytedecoJarsRunsOnnxRuntimeAndSaysWhatTensorRtNeeds() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path onnx = RuntimeFixtures.export(spec, dir, 8);
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> !p.contains("org/bytedeco") && !p.contains("org\\bytedeco")).collect(Collectors.joining(File.pathSeparator));
        assertTrue(classPath.length() < System.getProperty("java.class.path").length(), "the bytedeco jars were on the test class path");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                WithoutNativeTensorRtTest.class.getName(), onnx.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("ort-cpu:") || l.startsWith("tensorrt:") || l.startsWith("auto:")).toList();
        assertEquals("ort-cpu: " + 3 * 16 * 32 * 32, lines.get(0));
        assertTrue(lines.get(1).startsWith("tensorrt: tensorrt: native TensorRT's bindings are not on the class path")
                && lines.get(1).contains(NativeTensorRtJars.WHAT), out);
        assertTrue(lines.get(2).startsWith("auto: auto chose ort-cpu (tensorrt unavailable: native TensorRT's bindings are not on the class path"),
                out);
    }
}
