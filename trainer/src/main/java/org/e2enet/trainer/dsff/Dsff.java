package org.e2enet.trainer.dsff;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.DsffSettings;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Regrow;
import org.e2enet.core.spec.RegrowBy;
import org.e2enet.trainer.RandomDraws;

/**
 * Dynamic sparse feature fusion (docs/network.md#dsff): masks on every fusion conv and transposed conv,
 * initialised with exactly round(units * density) active units per pool, applied after every optimizer step
 * (weights and momentum), and updated every {@code updateFrequency} iterations by deactivating the
 * ceil(dr * active) (or, with {@code pruneRounding: round}, round(dr * active); at most the spec's {@code maxPruneShare} of
 * them) active units of smallest L1 norm and activating as many chosen uniformly among all
 * inactive units (just-pruned included); regrown units start at zero (or re-initialised) with zero momentum.
 */
public final class Dsff implements AutoCloseable {
    private final ModelSpec spec;
    private final Map<String, LayerMask> masks = new LinkedHashMap<>();
    private final NDManager manager;
    private final Map<String, NDArray> maskArrays = new LinkedHashMap<>();

    private Dsff(ModelSpec spec, NDManager parent) {
        this.spec = spec;
        this.manager = parent.newSubManager();
    }

    /** Whether the spec masks anything. */
    public static boolean isSparse(ModelSpec spec) {
        return spec.granularity().kind() != Granularity.Kind.DENSE;
    }

    /** Random initial masks: per pool exactly round(units * the layer's density) active units, uniformly without replacement. */
    public static Dsff initialise(ModelSpec spec, NDManager parent, SplittableRandom rng) {
        Dsff d = new Dsff(spec, parent);
        for (Layer l : spec.layers().masked()) {
            LayerMask m = new LayerMask(l, spec.granularity());
            int n = (int) Math.rint(m.unitsPerPool() * spec.densityOf(l));
            for (int p = 0; p < m.pools(); p++) {
                for (int u : sample(m.unitsPerPool(), n, rng)) {
                    m.set(p, u, true);
                }
            }
            d.masks.put(l.weightName(), m);
        }
        d.refreshArrays();
        return d;
    }

    /** Masks restored from a bundle's masks file. */
    public static Dsff fromTensors(ModelSpec spec, SafeTensors tensors, NDManager parent) {
        Dsff d = new Dsff(spec, parent);
        for (Layer l : spec.layers().masked()) {
            LayerMask m = new LayerMask(l, spec.granularity());
            Tensor t = tensors.tensors().get(l.maskName());
            if (t == null) {
                throw new IllegalArgumentException("missing mask " + l.maskName());
            }
            m.loadExpanded(t.data());
            d.masks.put(l.weightName(), m);
        }
        d.refreshArrays();
        return d;
    }

    /** k distinct values of [0, n), uniformly (partial Fisher-Yates). */
    static int[] sample(int n, int k, SplittableRandom rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + RandomDraws.below(rng, n - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return Arrays.copyOf(a, k);
    }

    private void refreshArrays() {
        maskArrays.values().forEach(NDArray::close);
        maskArrays.clear();
        for (LayerMask m : masks.values()) {
            long[] s = m.layer().maskShape();
            byte[] e = m.expanded();
            float[] f = new float[e.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = e[i];
            }
            maskArrays.put(m.layer().weightName(), manager.create(f, new Shape(s[0], s[1], 1, 1, 1)));
        }
    }

    /** The mask of a weight. */
    public LayerMask mask(String weightName) {
        return masks.get(weightName);
    }

    /** All masks. */
    public Map<String, LayerMask> masks() {
        return masks;
    }

    /** W &lt;- W * M for every masked weight, and the same for each extra per-weight state (momentum). */
    public void apply(Map<String, NDArray> weights, List<Map<String, NDArray>> states) {
        for (Map.Entry<String, NDArray> e : maskArrays.entrySet()) {
            weights.get(e.getKey()).muli(e.getValue());
            for (Map<String, NDArray> s : states) {
                NDArray a = s.get(e.getKey());
                if (a != null) {
                    a.muli(e.getValue());
                }
            }
        }
    }

    /**
     * One topology update at death rate {@code dr}: prune by L1 as many of a pool's active units as the spec's
     * {@link DsffSettings#pruneCount} says, regrow as many, uniformly ({@code regrowBy: random}) or by the largest gradient
     * magnitude summed over the unit ({@code gradient}: {@code gradients} holds each masked weight's dense gradient of
     * the current batch), new units zero (or re-initialised with Kaiming normal when the spec says {@code reinit}),
     * their momentum zero.
     */
    public List<TopologyUpdate> update(double dr, Map<String, NDArray> weights, Map<String, NDArray> momentum, Map<String, float[]> gradients,
                                       SplittableRandom rng) {
        DsffSettings settings = spec.dsff();
        List<TopologyUpdate> log = new ArrayList<>();
        for (LayerMask m : masks.values()) {
            Layer l = m.layer();
            NDArray w = weights.get(l.weightName());
            int kvol = l.kernelVolume();
            float[] values = w.toFloatArray();
            double[] kernelL1 = new double[values.length / kvol];
            for (int k = 0; k < kernelL1.length; k++) {
                for (int v = 0; v < kvol; v++) {
                    kernelL1[k] += Math.abs(values[k * kvol + v]);
                }
            }
            int pruned = 0;
            int regrown = 0;
            int fresh = 0;
            List<int[]> grown = new ArrayList<>();
            for (int p = 0; p < m.pools(); p++) {
                List<Integer> act = new ArrayList<>();
                for (int u = 0; u < m.unitsPerPool(); u++) {
                    if (m.isActive(p, u)) {
                        act.add(u);
                    }
                }
                int k = settings.pruneCount(dr, act.size());
                final int pool = p;
                act.sort((a, b) -> {
                    int c = Double.compare(unitL1(m, pool, a, kernelL1), unitL1(m, pool, b, kernelL1));
                    return c != 0 ? c : Integer.compare(a, b);
                });
                boolean[] justPruned = new boolean[m.unitsPerPool()];
                for (int i = 0; i < k; i++) {
                    m.set(p, act.get(i), false);
                    justPruned[act.get(i)] = true;
                }
                List<Integer> inactive = new ArrayList<>();
                for (int u = 0; u < m.unitsPerPool(); u++) {
                    if (!m.isActive(p, u)) {
                        inactive.add(u);
                    }
                }
                int n = Math.min(k, inactive.size());
                List<Integer> chosen = new ArrayList<>();
                if (settings.regrowBy() == RegrowBy.GRADIENT) {
                    chosen.addAll(largestScores(inactive, unitScores(m, pool, inactive, gradientL1(l, gradients)), n));
                } else {
                    for (int i : sample(inactive.size(), n, rng)) {
                        chosen.add(inactive.get(i));
                    }
                }
                for (int u : chosen) {
                    m.set(p, u, true);
                    grown.add(m.kernelsOf(p, u));
                    fresh += justPruned[u] ? 0 : 1;
                    regrown++;
                }
                pruned += k;
            }
            float[] mom = momentum.containsKey(l.weightName()) ? momentum.get(l.weightName()).toFloatArray() : null;
            double std = Math.sqrt(2.0 / (1 + 0.01 * 0.01)) / Math.sqrt((double) w.getShape().get(1) * kvol);
            for (int[] kernels : grown) {
                for (int kIdx : kernels) {
                    for (int v = 0; v < kvol; v++) {
                        values[kIdx * kvol + v] = settings.regrow() == Regrow.REINIT ? (float) (RandomDraws.gaussian(rng) * std) : 0f;
                        if (mom != null) {
                            mom[kIdx * kvol + v] = 0f;
                        }
                    }
                }
            }
            w.set(values);
            if (mom != null) {
                momentum.get(l.weightName()).set(mom);
            }
            int active = 0;
            for (int p = 0; p < m.pools(); p++) {
                active += m.activeCount(p);
            }
            log.add(new TopologyUpdate(l.weightName(), active, pruned, regrown, fresh));
        }
        refreshArrays();
        apply(weights, List.of(momentum));
        return log;
    }

    /** Per kernel, the L1 norm of {@code l}'s gradient; a missing gradient is a caller's error. */
    private static double[] gradientL1(Layer l, Map<String, float[]> gradients) {
        float[] g = gradients == null ? null : gradients.get(l.weightName());
        if (g == null) {
            throw new IllegalStateException("regrowBy: gradient needs the gradient of " + l.weightName());
        }
        int kvol = l.kernelVolume();
        double[] out = new double[g.length / kvol];
        for (int k = 0; k < out.length; k++) {
            for (int v = 0; v < kvol; v++) {
                out[k] += Math.abs(g[k * kvol + v]);
            }
        }
        return out;
    }

    private static double[] unitScores(LayerMask m, int pool, List<Integer> units, double[] kernelScores) {
        double[] out = new double[units.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = unitL1(m, pool, units.get(i), kernelScores);
        }
        return out;
    }

    /** The {@code n} of {@code units} with the largest {@code scores} (ties: the lower unit first). */
    static List<Integer> largestScores(List<Integer> units, double[] scores, int n) {
        Integer[] order = new Integer[units.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Double.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(units.get(a), units.get(b));
        });
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(units.get(order[i]));
        }
        return out;
    }

    private static double unitL1(LayerMask m, int pool, int unit, double[] kernelL1) {
        double s = 0;
        for (int k : m.kernelsOf(pool, unit)) {
            s += kernelL1[k];
        }
        return s;
    }

    /** The dense gradient of every masked weight, as the last backward pass left it (for {@code regrowBy: gradient}). */
    public Map<String, float[]> gradients(Map<String, NDArray> weights) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (LayerMask m : masks.values()) {
            try (NDArray g = weights.get(m.layer().weightName()).getGradient()) {
                out.put(m.layer().weightName(), g.toFloatArray());
            }
        }
        return out;
    }

    /** The masks as uint8 (dim0, dim1) tensors named {@code {weight}.mask}. */
    public SafeTensors toTensors() {
        List<Tensor> out = new ArrayList<>();
        for (LayerMask m : masks.values()) {
            out.add(Tensor.ofBytes(m.layer().maskName(), m.layer().maskShape(), m.expanded()));
        }
        return SafeTensors.of(out);
    }

    /** Active kernels of a masked layer. */
    public long activeKernels(Layer layer) {
        return masks.get(layer.weightName()).activeKernels();
    }

    @Override
    public void close() {
        manager.close();
    }
}
