package org.e2enet.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.volume.VoxelData;
import org.e2enet.core.volume.VoxelType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 512 x 512 x 300 CT predicts within a 2 GiB heap: memory follows the volume, not the tiles. */
class LargeVolumeTest {
    @TempDir
    Path dir;

    @Test
    void a512x512x300VolumePredictsWithin2GiB() throws Exception {
        Path onnx = RuntimeFixtures.export(RuntimeFixtures.spec(new int[] {32, 64, 64}, 2), dir, 7);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), LargeVolumeTest.class.getName(), onnx.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("labels 300x512x512"), out);
    }

    /** Runs in the child JVM with -Xmx2g. */
    public static void main(String[] args) {
        Shape3 shape = new Shape3(300, 512, 512);
        VoxelData ct = VoxelData.allocate(VoxelType.INT16, shape.voxelsInt());
        for (int i = 0; i < ct.length(); i++) {
            ct.set(i, (i * 7919L) % 1400 - 1000);
        }
        Volume image = Volume.of(Geometry.of(shape, new Spacing3(1, 1, 1)), ct);
        try (OnnxModel model = OnnxModel.open(Path.of(args[0]), Backend.ORT_CPU, 2)) {
            Segmentation s = new Segmenter(model, SegmenterOptions.builder().step(1.0).batch(4).build()).segment("big", List.of(image));
            System.out.println("labels " + s.labels().shape() + ", " + s.tiles() + " tiles, network " + Math.round(s.networkMs())
                    + " ms, peak heap " + (Runtime.getRuntime().totalMemory() >> 20) + " MiB");
        }
    }
}
