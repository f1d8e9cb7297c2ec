package org.e2enet.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.volume.VoxelData;
import org.e2enet.core.volume.VoxelType;

/** Latency per tile and whole-volume throughput of one or more exported models, measured in one run. */
public final class Benchmark {
    private Benchmark() {
    }

    /**
     * @param backend the backend ({@link Backend#AUTO} included)
     * @param volume whole-volume size (d, h, w) at the model's target spacing, or null to skip
     */
    public static List<BenchResult> run(List<Path> models, Backend backend, BackendOptions options, int runs, Shape3 volume) {
        List<BenchResult> out = new ArrayList<>();
        double first = Double.NaN;
        for (Path file : models) {
            try (OnnxModel model = OnnxModel.open(file, backend, options)) {
                int[] p = model.spec().patchSize();
                long[] shape = {1, model.spec().inputChannels(), p[0], p[1], p[2]};
                float[] x = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
                Random r = new Random(1);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                double[] ms = new double[runs];
                for (int i = -2; i < runs; i++) {
                    long t0 = System.nanoTime();
                    model.run(x, shape);
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                Arrays.sort(ms);
                double median = ms[runs / 2];
                first = Double.isNaN(first) ? median : first;
                Double vps = null;
                Double seconds = null;
                if (volume != null && model.plans() != null) {
                    Volume v = syntheticCt(volume, model.plans().target(), model.spec().inputChannels());
                    Segmenter s = new Segmenter(model, SegmenterOptions.defaults());
                    long t0 = System.nanoTime();
                    s.segment("bench", List.of(v));
                    seconds = (System.nanoTime() - t0) / 1e9;
                    vps = volume.voxels() / seconds;
                }
                out.add(new BenchResult(file.toString(), model.backend().label(), median, ms[runs / 10], ms[Math.min(runs - 1, runs * 9 / 10)],
                        median / first, vps, seconds, peakRssMiB()));
            }
        }
        return out;
    }

    private static Volume syntheticCt(Shape3 shape, Spacing3 spacing, int channels) {
        VoxelData d = VoxelData.allocate(VoxelType.INT16, shape.voxelsInt());
        Random r = new Random(2);
        for (int i = 0; i < d.length(); i++) {
            d.set(i, 40 + 30 * r.nextGaussian());
        }
        return Volume.of(Geometry.of(shape, spacing), d);
    }

    /** VmHWM of this process in MiB (Linux), or -1. */
    static long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
