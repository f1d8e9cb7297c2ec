package org.e2enet.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service whose own protobuf-java is 4.x (any gRPC library brings it, and Maven takes the service's nearer version) still
 * opens and runs a model: the ONNX classes and the protobuf runtime they were generated for are shaded into the runtime's
 * dependencies under org.e2enet. Run in a new JVM whose class path puts protobuf-java 4.31.1 (a test dependency of this module)
 * first, where unshaded 3.x gencode failed in {@code Segmenter.open} with a {@code NoSuchMethodError}.
 */
class WithServiceProtobufTest {
    @TempDir
    Path dir;

    /** Opens the model on the CPU, segments a phantom; prints where protobuf came from and the voxels of each label. */
    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]);
        Path protobuf = Path.of(Class.forName("com.google.protobuf.Message").getProtectionDomain().getCodeSource().getLocation().toURI());
        System.out.println("protobuf: " + protobuf.getFileName());
        System.out.println("labels: " + labelVoxels(onnx));
    }

    /** The voxels of each label, "n0,n1,...", of the phantom segmented on ORT CPU with one thread. */
    static String labelVoxels(Path onnx) {
        Volume image = SegmenterTest.phantom(new Shape3(16, 32, 32), 3);
        try (Segmenter s = Segmenter.open(onnx, Backend.ORT_CPU, 1, SegmenterOptions.defaults())) {
            Volume labels = s.segment("phantom", List.of(image)).labels();
            long[] counts = new long[s.model().spec().numClasses()];
            for (int i = 0; i < labels.shape().voxelsInt(); i++) {
                counts[(int) labels.value(0, i)]++;
            }
            return Arrays.stream(counts).mapToObj(Long::toString).collect(Collectors.joining(","));
        }
    }

    @Test
    void aServiceWithProtobuf4FirstOnItsClassPathOpensAndSegmentsAsHere() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path onnx = RuntimeFixtures.export(spec, dir, 5);
        List<String> testClassPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        String protobuf = testClassPath.stream().filter(p -> Path.of(p).getFileName().toString().matches("protobuf-java-4\\..*\\.jar"))
                .findFirst().orElseThrow(() -> new AssertionError("no protobuf-java 4.x on the test class path: " + testClassPath));
        String classPath = protobuf + File.pathSeparator
                + testClassPath.stream().filter(p -> !p.equals(protobuf)).collect(Collectors.joining(File.pathSeparator));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                WithServiceProtobufTest.class.getName(), onnx.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("protobuf:") || l.startsWith("labels:")).toList();
        assertEquals(List.of("protobuf: " + Path.of(protobuf).getFileName(), "labels: " + labelVoxels(onnx)), lines, out);
    }
}
