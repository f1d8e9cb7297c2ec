package org.e2enet.runtime;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Presets;
import org.e2enet.exporter.ExportOptions;
import org.e2enet.exporter.ModelExport;
import org.e2enet.exporter.RandomBundles;
import org.e2enet.trainer.nn.ConvMode;
import org.e2enet.trainer.nn.E2ENetModel;
import org.e2enet.trainer.nn.ModelParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints the latency of one tile through the training engine (DJL/PyTorch, eval forward) and through the
 * runtime (ONNX Runtime, pruned export), 2 threads each, for the tiny and small presets at channel
 * granularity. Not part of the suite: {@code mvn -pl runtime test -Dtest=EngineComparisonBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dai.djl.pytorch.num_threads=2}.
 */
class EngineComparisonBenchmark {
    @TempDir
    Path dir;

    @Test
    void ortAgainstTheTrainingEngine() throws Exception {
        for (String preset : new String[] {"tiny", "small"}) {
            ModelSpec spec = Presets.get(preset).withGranularity(Granularity.CHANNEL);
            Path bundleDir = RandomBundles.write(spec, RuntimeFixtures.plans(spec.numClasses()), dir, preset.length());
            Path onnx = dir.resolve(preset + ".onnx");
            ModelExport.run(bundleDir, onnx, ExportOptions.PRUNED, ExportReport.besideModel(onnx));
            int[] p = spec.patchSize();
            long[] shape = {1, 1, p[0], p[1], p[2]};
            float[] x = new float[p[0] * p[1] * p[2]];
            Random r = new Random(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            double[] djl = new double[5];
            ModelBundle bundle = ModelBundle.read(bundleDir);
            try (NDManager m = NDManager.newBaseManager(); ModelParameters params = ModelParameters.fromTensors(spec, bundle.weights(), m)) {
                E2ENetModel model = new E2ENetModel(spec, params, ConvMode.CONV3D_PADDED);
                for (int i = -2; i < djl.length; i++) {
                    try (NDManager im = m.newSubManager()) {
                        long t0 = System.nanoTime();
                        model.forwardHead0(im.create(x, new Shape(shape))).toFloatArray();
                        if (i >= 0) {
                            djl[i] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                }
            }
            double[] ort = new double[5];
            try (OnnxModel model = OnnxModel.open(onnx, Backend.ORT_CPU, 2)) {
                for (int i = -2; i < ort.length; i++) {
                    long t0 = System.nanoTime();
                    model.run(x, shape);
                    if (i >= 0) {
                        ort[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            Arrays.sort(djl);
            Arrays.sort(ort);
            System.out.printf(Locale.ROOT, "%s (channel, s=%.1f) tile %s: DJL/PyTorch %.1f ms, ONNX Runtime %.1f ms: ORT %.2fx faster%n",
                    preset, spec.sparsity(), Arrays.toString(p), djl[2], ort[2], djl[2] / ort[2]);
        }
    }
}
