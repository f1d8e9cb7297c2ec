package org.e2enet.runtime.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.metrics.FlopsCutRealised;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.core.onnx.OnnxGraphStats;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Presets;
import org.e2enet.exporter.CostModel;
import org.e2enet.exporter.ExportOptions;
import org.e2enet.exporter.OnnxExporter;
import org.e2enet.exporter.RandomBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints ONNX Runtime CPU figures (2 intra-op threads, spinning off): the cost model's constants, Conv3D
 * (1,3,3) against the conv2d reshape, and the latency of dense vs pruned exports of the {@code small} preset
 * at sparsity 0.8 per granularity. Not part of the test suite; run it with
 * {@code mvn -pl runtime test -Dtest=ExportBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ExportBenchmark {
    @TempDir
    Path dir;

    /** Median milliseconds of {@code runs} runs after 2 warm-ups, with 2 threads as the figures are quoted. */
    static double time(byte[] model, String input, long[] shape, int runs) {
        return CostModelMeasurement.time(model, input, shape, 2, runs);
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 0.1f;
        }
        return v;
    }

    @Test
    void calibrateAndCompare() throws Exception {
        // 1. the cost model's constants, measured as 'e2enet devices --save --measure' does
        ExportReport.CostConstants measured = CostModelMeasurement.measure(2, 7);
        System.out.printf(Locale.ROOT, "cost model: conv %.3g FLOP/ms, gather %.3g elements/ms, grouped efficiency %.2f%n",
                measured.convFlopsPerMs(), measured.gatherElementsPerMs(), measured.groupedEfficiency());
        // 2. the same (1,3,3) conv as conv2d over (N*D, C, H, W), with the transposes it needs
        int cin = 96;
        int cout = 48;
        long[] in = {1, cin, 32, 64, 64};
        double convMs = time(CostModelMeasurement.conv(1), "x", in, 7);
        OnnxBuilder b2 = new OnnxBuilder("conv2d");
        b2.declareInput("x", in[0], in[1], in[2], in[3], in[4]);
        String t1 = b2.node("Transpose", new String[] {"x"}, Map.of("perm", new long[] {0, 2, 1, 3, 4}));
        String r1 = b2.node("Reshape", new String[] {t1, b2.int64s("s1", 32, cin, 64, 64)}, Map.of());
        String w2 = b2.floats("w", random(cout * cin * 9, 1), cout, cin, 3, 3);
        String c2 = b2.node("Conv", new String[] {r1, w2}, Map.of("kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1}));
        String r2 = b2.node("Reshape", new String[] {c2, b2.int64s("s2", 1, 32, cout, 64, 64)}, Map.of());
        b2.output(b2.node("Transpose", new String[] {r2}, Map.of("perm", new long[] {0, 2, 1, 3, 4})), "y");
        b2.declareOutput("y", in[0], cout, in[2], in[3], in[4]);
        double conv2dMs = time(b2.build(Map.of()).toByteArray(), "x", in, 7);
        System.out.printf(Locale.ROOT, "same conv as transpose+reshape+conv2d: %.2f ms (%.2fx of conv3d)%n", conv2dMs, conv2dMs / convMs);

        // 5. small preset, sparsity 0.8: dense export vs pruned export per granularity
        for (String gran : new String[] {"kernel", "channel", "group:4"}) {
            ModelSpec spec = Presets.get("small").withGranularity(Granularity.parse(gran));
            ModelBundle bundle = ModelBundle.read(RandomBundles.write(spec, null, dir, gran.hashCode()));
            int[] p = spec.patchSize();
            long[] shape = {1, 1, p[0], p[1], p[2]};
            OnnxExporter.Result dense = OnnxExporter.export(bundle, ExportOptions.DENSE, CostModel.MEASURED);
            OnnxExporter.Result pruned = OnnxExporter.export(bundle, ExportOptions.PRUNED, CostModel.MEASURED);
            double denseMs = time(dense.model().toByteArray(), "image", shape, 5);
            double prunedMs = time(pruned.model().toByteArray(), "image", shape, 5);
            long fd = OnnxGraphStats.of(dense.model(), shape).trueFlops();
            long fp = OnnxGraphStats.of(pruned.model(), shape).trueFlops();
            String realised = fp > 0.95 * fd ? "under 5% of the FLOPs to save"
                    : String.format(Locale.ROOT, "%.0f%% of the FLOPs cut realised", 100 * FlopsCutRealised.share(prunedMs / denseMs, (double) fp / fd));
            System.out.printf(Locale.ROOT, "small s=0.8 %-8s dense %.1f ms, pruned %.1f ms: time ratio %.3f, FLOPs ratio %.3f, %s%n",
                    gran, denseMs, prunedMs, prunedMs / denseMs, (double) fp / fd, realised);
        }
    }
}
