package org.e2enet.runtime.bench;

import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.SegmenterOptions;
import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.Segmenter;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.CasePrediction;
import org.e2enet.runtime.CaseFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.e2enet.core.dataset.CaseNaming;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.nifti.NiftiWriter;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.spec.ModelSpec;
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

    /** Untimed runs before the timed ones (first runs allocate and tune). */
    static final int WARMUPS = 2;

    /**
     * @param backend the backend ({@link Backend#AUTO} included)
     * @param volume whole-volume size (d, h, w) at the model's target spacing, or null to skip
     */
    public static List<BenchResult> run(List<Path> models, Backend backend, BackendOptions options, int runs, Shape3 volume) {
        return run(models, backend, options, runs, volume, null, 1);
    }

    /**
     * @param backend the backend ({@link Backend#AUTO} included)
     * @param volume whole-volume size (d, h, w), or null to skip
     * @param volumeSpacing its spacing in mm (d, h, w), or null for the model's target spacing; a CT-sized case at
     *     its scanner spacing is written to a NIfTI file and predicted as {@code e2enet predict} would, stage by stage
     * @param batch tiles per network call, for the tile latency (reported per tile) and the volume
     */
    public static List<BenchResult> run(List<Path> models, Backend backend, BackendOptions options, int runs, Shape3 volume,
                                        Spacing3 volumeSpacing, int batch) {
        List<BenchResult> out = new ArrayList<>();
        double first = Double.NaN;
        for (Path file : models) {
            E2eNetOnnx onnx = E2eNetOnnx.read(file);
            long flops = onnx.statsAtPatch().trueFlops();
            try (OnnxModel model = OnnxModel.open(file, backend, options)) {
                double[] ms = sortedTileMs(model, batch, runs);
                double median = ms[runs / 2];
                first = Double.isNaN(first) ? median : first;
                CasePrediction.Timing stages = null;
                if (volume != null && model.plans() != null) {
                    stages = wholeVolume(model, volume, volumeSpacing != null ? volumeSpacing : model.plans().target(), batch);
                }
                Double seconds = stages == null ? null : stages.totalMs() / 1e3;
                Double vps = stages == null ? null : volume.voxels() / seconds;
                out.add(new BenchResult(file.toString(), model.backend().label(), model.precision().label(), median, ms[runs / 10], ms[Math.min(runs - 1, runs * 9 / 10)],
                        median / first, flops, vps, seconds, stages, peakRssMiB()));
            }
        }
        return out;
    }

    /**
     * Milliseconds per tile of {@code runs} timed calls on batches of {@code batch} random tiles, after
     * {@link #WARMUPS} untimed ones, sorted.
     */
    static double[] sortedTileMs(OnnxModel model, int batch, int runs) {
        long[] shape = tileShape(model.spec());
        shape[0] = batch;
        float[] x = randomTile(shape);
        double[] ms = new double[runs];
        for (int i = -WARMUPS; i < runs; i++) {
            long t0 = System.nanoTime();
            model.run(x, shape);
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6 / batch;
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    /** The shape of one patch-sized tile of {@code spec}'s input, batch 1. */
    static long[] tileShape(ModelSpec spec) {
        int[] p = spec.patchSize();
        return new long[] {1, spec.inputChannels(), p[0], p[1], p[2]};
    }

    /** A tile of standard-normal values (seed 1, so every benchmark feeds the same input). */
    static float[] randomTile(long[] shape) {
        float[] x = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** One synthetic CT through the whole predict path (write it, read, preprocess, network, resample back, write). */
    private static CasePrediction.Timing wholeVolume(OnnxModel model, Shape3 shape, Spacing3 spacing, int batch) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("e2enet-bench");
            Path in = Files.createDirectories(dir.resolve("in"));
            Volume ct = syntheticCt(shape, spacing);
            for (int c = 0; c < model.spec().inputChannels(); c++) {
                NiftiWriter.standard().write(ct, in.resolve(CaseNaming.channelFile("bench", c, ".nii.gz")));
            }
            Path outDir = dir.resolve("out");
            CasePrediction.prepareOutput(outDir);
            Segmenter s = new Segmenter(model, SegmenterOptions.builder().batch(batch).build());
            return CasePrediction.run(s, CaseFiles.find(in, model.spec().inputChannels()).get(0), outDir, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark volume", e);
        } finally {
            if (dir != null) {
                AtomicFiles.deleteQuietly(dir);
            }
        }
    }

    private static Volume syntheticCt(Shape3 shape, Spacing3 spacing) {
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
