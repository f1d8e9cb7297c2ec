package org.e2enet.exporter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.e2enet.core.bundle.BundleManifest;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.spec.DsffSettings;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.trainer.dsff.Dsff;
import org.e2enet.trainer.nn.ModelParameters;

/** Model bundles with random weights and masks, for tests of the exporter and the runtime. */
public final class RandomBundles {
    private RandomBundles() {
    }

    /** A small spec: 2 inputs, 3 classes, channels 4..16, patch 2^P (2^(P-1) in depth with a (1,2,2) first pool). */
    public static ModelSpec spec(int pools, int shift, boolean anisotropicFirst, String granularity) {
        int[][] k = new int[pools][];
        for (int l = 0; l < pools; l++) {
            k[l] = l == 0 && anisotropicFirst ? new int[] {1, 2, 2} : new int[] {2, 2, 2};
        }
        int depth = 1 << (anisotropicFirst ? pools - 1 : pools);
        int plane = 1 << pools;
        Granularity g = Granularity.parse(granularity);
        double sparsity = g.kind() == Granularity.Kind.DENSE ? 0 : 0.6;
        return new ModelSpec(2, 3, 4, 16, k, shift, new int[] {depth, plane, plane}, sparsity, g, DsffSettings.PAPER);
    }

    /** Writes a bundle with random weights (biases and norms too) and random masks; {@code plans} may be null. */
    public static Path write(ModelSpec spec, Plans plans, Path dir, long seed) throws Exception {
        try (NDManager m = NDManager.newBaseManager(); ModelParameters p = ModelParameters.initialise(spec, m, seed)) {
            Random rnd = new Random(seed);
            for (Map.Entry<String, NDArray> e : p.all().entrySet()) {
                if (e.getKey().endsWith("bias") || e.getKey().endsWith("instnorm.weight")) {
                    float[] v = new float[(int) e.getValue().size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (e.getKey().endsWith("instnorm.weight") ? 1 + 0.3 * rnd.nextGaussian() : 0.2 * rnd.nextGaussian());
                    }
                    e.getValue().set(v);
                }
            }
            SafeTensors masks = SafeTensors.of(List.of());
            if (Dsff.isSparse(spec)) {
                try (Dsff d = Dsff.initialise(spec, m, new SplittableRandom(seed))) {
                    d.apply(p.all(), List.of());
                    masks = d.toTensors();
                }
            }
            Path b = dir.resolve("bundle" + seed);
            ModelBundle.write(b, new BundleManifest(BundleManifest.FORMAT, spec, plans, null, null), p.toTensors(), masks, null, null);
            return b;
        }
    }
}
