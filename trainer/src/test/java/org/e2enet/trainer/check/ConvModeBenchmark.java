package org.e2enet.trainer.check;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Presets;
import org.e2enet.trainer.loop.DeepSupervisionLoss;
import org.e2enet.trainer.nn.ConvMode;
import org.e2enet.trainer.nn.DeviceConstants;
import org.e2enet.trainer.nn.E2ENetModel;
import org.e2enet.trainer.nn.ModelParameters;
import org.junit.jupiter.api.Test;

/**
 * Prints the time of one training iteration's forward and backward (batch 2, all heads, deep-supervision
 * loss) per convolution mode, interleaved in rounds so that machine drift hits every mode alike, with the
 * engine check's verdict on each mode. Not part of the test suite; run it with
 * {@code mvn -pl trainer test -Dtest=ConvModeBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dpreset=small} for the benchmark size; set {@code DNNL_MAX_CPU_ISA} in the environment to time
 * oneDNN capped to an older instruction set).
 */
class ConvModeBenchmark {
    private static final List<ConvMode> MODES = List.of(ConvMode.CONV3D, ConvMode.CONV3D_PADDED, ConvMode.CONV2D);

    @Test
    void timeEveryMode() {
        ModelSpec spec = Presets.get(System.getProperty("preset", "tiny"));
        int rounds = Integer.getInteger("rounds", 7);
        int[] p = spec.patchSize();
        Random rng = new Random(1);
        float[] image = new float[2 * p[0] * p[1] * p[2]];
        float[] labels = new float[p[0] * p[1] * p[2] * 2];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) rng.nextGaussian();
            labels[i] = rng.nextInt(spec.numClasses());
        }
        double[][] ms = new double[MODES.size()][rounds];
        try (NDManager base = NDManager.newBaseManager()) {
            ModelParameters params = ModelParameters.initialise(spec, base, 7);
            DeviceConstants constants = new DeviceConstants(base);
            DeepSupervisionLoss loss = new DeepSupervisionLoss(spec, constants);
            for (int r = -1; r < rounds; r++) {
                for (int m = 0; m < MODES.size(); m++) {
                    E2ENetModel model = new E2ENetModel(spec, params, MODES.get(m), constants);
                    try (NDManager im = base.newSubManager()) {
                        NDArray x = im.create(image, new Shape(2, 1, p[0], p[1], p[2]));
                        NDArray y = im.create(labels, new Shape(2, p[0], p[1], p[2]));
                        long t0 = System.nanoTime();
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDList heads = model.forwardAllHeads(x);
                            gc.backward(loss.compute(heads, y));
                        }
                        if (r >= 0) {
                            ms[m][r] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                }
            }
            params.close();
        }
        String isa = System.getenv().getOrDefault("DNNL_MAX_CPU_ISA", "default");
        System.out.printf(Locale.ROOT, "%s, patch %s, batch 2, oneDNN ISA cap %s, CPU %s; median of %d rounds (forward + backward)%n",
                spec.channels(0) + ".." + spec.channels(spec.pools()) + " channels", Arrays.toString(p), isa, TrainingEngineCheck.cpu(), rounds);
        double base = median(ms[0]);
        for (int m = 0; m < MODES.size(); m++) {
            double med = median(ms[m]);
            boolean right = TrainingEngineCheck.run(org.e2enet.core.check.NetworkOps.of(spec), MODES.get(m), ai.djl.Device.cpu()).passed();
            System.out.printf(Locale.ROOT, "  %-14s %8.1f ms  %.2fx conv3d's time  engine check %s%n", MODES.get(m).label(), med, med / base,
                    right ? "passed" : "FAILED");
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
