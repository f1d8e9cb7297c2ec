package org.e2enet.exporter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.e2enet.core.bundle.BundleManifest;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.LayerKind;
import org.e2enet.core.spec.LayerTable;
import org.e2enet.core.spec.ModelSpec;

/**
 * Model bundles made from {@link Random} alone, without the training engine, for tests that pin exported (and
 * calibrated) bytes: the same seed gives the same bundle whatever DJL or libtorch version is installed.
 */
public final class SeededBundles {
    private SeededBundles() {
    }

    /**
     * A bundle of {@code spec} with random weights and masks of its granularity at density 0.4: kernel, one bit per
     * (dim0, dim1); channel, one bit per input channel; group:G, the same number of inputs for each group of outputs.
     */
    public static Path write(ModelSpec spec, Path dir, long seed) throws Exception {
        Random rnd = new Random(seed);
        List<Tensor> weights = new ArrayList<>();
        for (Map.Entry<String, long[]> e : LayerTable.of(spec).tensorShapes().entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] v = new float[(int) n];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (0.2 * rnd.nextGaussian());
            }
            weights.add(Tensor.ofFloats(e.getKey(), e.getValue(), v));
        }
        List<Tensor> masks = new ArrayList<>();
        if (spec.granularity().kind() != Granularity.Kind.DENSE) {
            for (Layer l : LayerTable.of(spec).masked()) {
                masks.add(Tensor.ofBytes(l.maskName(), l.maskShape(), mask(l, spec.granularity(), rnd)));
            }
        }
        Path b = dir.resolve("bundle" + seed);
        ModelBundle.write(b, new BundleManifest(BundleManifest.FORMAT, spec, null, null, null), SafeTensors.of(weights), SafeTensors.of(masks),
                null, null);
        return b;
    }

    /** A (dim0, dim1) mask; a conv's is (out, in), a transposed conv's (in, out). */
    private static byte[] mask(Layer l, Granularity g, Random rnd) {
        long[] s = l.maskShape();
        int rows = (int) s[0];
        int cols = (int) s[1];
        boolean tconv = l.kind() == LayerKind.TCONV;
        int ins = tconv ? rows : cols;
        int outs = tconv ? cols : rows;
        byte[] m = new byte[rows * cols];
        int groups = g.kind() == Granularity.Kind.GROUP ? g.groups() : 1;
        boolean[][] active = new boolean[g.kind() == Granularity.Kind.KERNEL ? outs : groups][ins];
        for (boolean[] row : active) {
            int k = Math.max(1, (int) Math.round(0.4 * ins));
            for (int picked = 0; picked < k; ) {
                int i = rnd.nextInt(ins);
                if (!row[i]) {
                    row[i] = true;
                    picked++;
                }
            }
        }
        for (int o = 0; o < outs; o++) {
            boolean[] row = active[g.kind() == Granularity.Kind.KERNEL ? o : o / (outs / groups)];
            for (int i = 0; i < ins; i++) {
                m[tconv ? i * outs + o : o * ins + i] = (byte) (row[i] ? 1 : 0);
            }
        }
        return m;
    }
}
