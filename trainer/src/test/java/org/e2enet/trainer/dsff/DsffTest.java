package org.e2enet.trainer.dsff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Presets;
import org.e2enet.core.spec.PruneRounding;
import org.e2enet.core.spec.RegrowBy;
import org.e2enet.trainer.nn.ModelParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DsffTest {
    @ParameterizedTest
    @CsvSource({"kernel, random, ceil", "channel, random, ceil", "group:2, random, ceil", "kernel, gradient, ceil", "channel, gradient, ceil",
        "group:2, gradient, ceil", "kernel, random, round", "channel, random, round", "channel, gradient, round", "group:2, gradient, round"})
    void invariantsHoldOverSeveralUpdates(String granularity, String regrowBy, String rounding) {
        ModelSpec tiny = Presets.get("tiny").withGranularity(Granularity.parse(granularity));
        ModelSpec spec = tiny.withDsff(tiny.dsff().withUpdateRule(1, RegrowBy.of(regrowBy), PruneRounding.of(rounding)));
        boolean byGradient = regrowBy.equals("gradient");
        try (NDManager m = NDManager.newBaseManager(); ModelParameters params = ModelParameters.initialise(spec, m, 3)) {
            SplittableRandom rng = new SplittableRandom(5);
            Dsff dsff = Dsff.initialise(spec, m, rng);
            Map<String, NDArray> weights = params.all();
            Map<String, NDArray> momentum = new LinkedHashMap<>();
            for (Layer l : spec.layers().masked()) {
                NDArray mom = m.randomNormal(weights.get(l.weightName()).getShape());
                momentum.put(l.weightName(), mom);
            }
            dsff.apply(weights, List.of(momentum));
            Map<String, Integer> initial = new LinkedHashMap<>();
            for (LayerMask mask : dsff.masks().values()) {
                int expected = (int) Math.rint(mask.unitsPerPool() * spec.density());
                for (int p = 0; p < mask.pools(); p++) {
                    assertEquals(expected, mask.activeCount(p), mask.layer().weightName());
                }
                initial.put(mask.layer().weightName(), mask.activeCount(0));
            }
            for (int update = 0; update < 4; update++) {
                // perturb weights so L1 norms differ (as training would)
                for (Layer l : spec.layers().masked()) {
                    NDArray w = weights.get(l.weightName());
                    w.addi(m.randomNormal(w.getShape()).mul(0.05));
                }
                dsff.apply(weights, List.of(momentum));
                Map<String, double[]> l1Before = new LinkedHashMap<>();
                Map<String, boolean[]> activeBefore = new LinkedHashMap<>();
                for (LayerMask mask : dsff.masks().values()) {
                    l1Before.put(mask.layer().weightName(), unitL1(mask, weights.get(mask.layer().weightName())));
                    activeBefore.put(mask.layer().weightName(), bits(mask));
                }
                double dr = 0.3;
                Map<String, float[]> gradients = new LinkedHashMap<>();
                java.util.Random g = new java.util.Random(update);
                for (Layer l : spec.layers().masked()) {
                    float[] v = new float[(int) weights.get(l.weightName()).size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) g.nextGaussian();
                    }
                    gradients.put(l.weightName(), v);
                }
                List<TopologyUpdate> log = dsff.update(dr, weights, momentum, byGradient ? gradients : null, new SplittableRandom(100 + update));
                // every masked layer is updated once: the checks below cannot pass on an empty log
                assertEquals(dsff.masks().keySet(), log.stream().map(TopologyUpdate::weight).collect(java.util.stream.Collectors.toSet()));
                assertEquals(dsff.masks().size(), log.size());
                for (TopologyUpdate u : log) {
                    LayerMask mask = dsff.mask(u.weight());
                    for (int p = 0; p < mask.pools(); p++) {
                        assertEquals(initial.get(u.weight()), mask.activeCount(p), "active count constant: " + u.weight());
                    }
                    assertEquals(u.pruned(), u.regrown());
                    int k = expectedPruneCount(dr, initial.get(u.weight()), rounding, spec.dsff().maxPruneShare());
                    assertTrue(k > 0, "an update that prunes nothing tests nothing: " + u.weight());
                    assertEquals(k * mask.pools(), u.pruned());
                    assertEquals(initial.get(u.weight()) * mask.pools(), u.active(), "active units over all pools: " + u.weight());
                    assertPrunedWereSmallest(mask, l1Before.get(u.weight()), activeBefore.get(u.weight()), k);
                    assertZeroOutsideMask(mask, weights.get(u.weight()));
                    assertZeroOutsideMask(mask, momentum.get(u.weight()));
                    assertRegrownStartAtZero(mask, activeBefore.get(u.weight()), weights.get(u.weight()), momentum.get(u.weight()));
                    if (byGradient) {
                        assertArrayEquals(expectedAfterGradientRegrowth(mask, l1Before.get(u.weight()), activeBefore.get(u.weight()),
                                gradients.get(u.weight()), k), bits(mask), "RigL: the largest-gradient inactive units regrew, " + u.weight());
                    }
                }
            }
        }
    }

    /**
     * How many units an update prunes from {@code active}, worked out here rather than taken from the code under test:
     * {@code dr * active} rounded up (or to nearest, halves up), capped at {@code maxShare * active} rounded down.
     */
    private static int expectedPruneCount(double dr, int active, String rounding, double maxShare) {
        java.math.BigDecimal want = java.math.BigDecimal.valueOf(dr).multiply(java.math.BigDecimal.valueOf(active));
        int k = want.setScale(0, rounding.equals("round") ? java.math.RoundingMode.HALF_UP : java.math.RoundingMode.CEILING).intValueExact();
        int cap = java.math.BigDecimal.valueOf(maxShare).multiply(java.math.BigDecimal.valueOf(active)).setScale(0, java.math.RoundingMode.FLOOR)
                .intValueExact();
        return Math.min(k, cap);
    }

    /** The mask an update must leave: the smallest-L1 active units pruned, then the largest-gradient inactive ones grown. */
    private static boolean[] expectedAfterGradientRegrowth(LayerMask mask, double[] l1, boolean[] before, float[] gradient, int k) {
        int n = mask.unitsPerPool();
        int kvol = mask.layer().kernelVolume();
        boolean[] out = before.clone();
        for (int p = 0; p < mask.pools(); p++) {
            final int pool = p;
            List<Integer> active = new ArrayList<>();
            for (int u = 0; u < n; u++) {
                if (before[p * n + u]) {
                    active.add(u);
                }
            }
            active.sort((a, b) -> {
                int c = Double.compare(l1[pool * n + a], l1[pool * n + b]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            for (int i = 0; i < k; i++) {
                out[p * n + active.get(i)] = false;
            }
            List<Integer> inactive = new ArrayList<>();
            for (int u = 0; u < n; u++) {
                if (!out[p * n + u]) {
                    inactive.add(u);
                }
            }
            double[] score = new double[n];
            for (int u : inactive) {
                for (int kernel : mask.kernelsOf(p, u)) {
                    for (int i = 0; i < kvol; i++) {
                        score[u] += Math.abs(gradient[kernel * kvol + i]);
                    }
                }
            }
            inactive.sort((a, b) -> {
                int c = Double.compare(score[b], score[a]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            for (int i = 0; i < Math.min(k, inactive.size()); i++) {
                out[p * n + inactive.get(i)] = true;
            }
        }
        return out;
    }

    @Test
    void gradientScoringPicksTheLargestAndACapLimitsWhatOneUpdatePrunes() {
        assertEquals(List.of(7, 2), Dsff.largestScores(List.of(1, 2, 5, 7), new double[] {0.1, 3, 0.2, 9}, 2));
        assertEquals(List.of(1, 5), Dsff.largestScores(List.of(1, 5, 7), new double[] {1, 1, 1}, 2), "ties: the lower unit");
        ModelSpec tiny = Presets.get("tiny").withGranularity(Granularity.parse("channel"));
        ModelSpec capped = tiny.withDsff(tiny.dsff().withUpdateRule(0.25, RegrowBy.RANDOM, PruneRounding.CEIL));
        try (NDManager m = NDManager.newBaseManager(); ModelParameters params = ModelParameters.initialise(capped, m, 3)) {
            Dsff dsff = Dsff.initialise(capped, m, new SplittableRandom(5));
            Map<String, NDArray> weights = params.all();
            dsff.apply(weights, List.of());
            Map<String, Integer> active = new LinkedHashMap<>();
            dsff.masks().forEach((k, v) -> active.put(k, v.activeCount(0)));
            for (TopologyUpdate u : dsff.update(0.9, weights, new LinkedHashMap<>(), null, new SplittableRandom(1))) {
                assertEquals((int) Math.floor(0.25 * active.get(u.weight())) * dsff.mask(u.weight()).pools(), u.pruned(), u.weight());
            }
        }
    }

    private static boolean[] bits(LayerMask mask) {
        boolean[] b = new boolean[mask.pools() * mask.unitsPerPool()];
        for (int p = 0; p < mask.pools(); p++) {
            for (int u = 0; u < mask.unitsPerPool(); u++) {
                b[p * mask.unitsPerPool() + u] = mask.isActive(p, u);
            }
        }
        return b;
    }

    private static double[] unitL1(LayerMask mask, NDArray w) {
        float[] v = w.toFloatArray();
        int kvol = mask.layer().kernelVolume();
        double[] out = new double[mask.pools() * mask.unitsPerPool()];
        for (int p = 0; p < mask.pools(); p++) {
            for (int u = 0; u < mask.unitsPerPool(); u++) {
                for (int k : mask.kernelsOf(p, u)) {
                    for (int i = 0; i < kvol; i++) {
                        out[p * mask.unitsPerPool() + u] += Math.abs(v[k * kvol + i]);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The k = ceil(dr * active) active units of smallest L1 (ties by index) are the pruned set: every other unit
     * active before is still active, and every unit that became inactive is in that set.
     */
    private static void assertPrunedWereSmallest(LayerMask mask, double[] l1, boolean[] before, int k) {
        for (int p = 0; p < mask.pools(); p++) {
            List<Integer> act = new ArrayList<>();
            for (int u = 0; u < mask.unitsPerPool(); u++) {
                if (before[p * mask.unitsPerPool() + u]) {
                    act.add(u);
                }
            }
            final int pool = p;
            act.sort((a, b) -> {
                int c = Double.compare(l1[pool * mask.unitsPerPool() + a], l1[pool * mask.unitsPerPool() + b]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            java.util.Set<Integer> smallest = new java.util.HashSet<>(act.subList(0, k));
            for (int u : act) {
                if (!mask.isActive(p, u)) {
                    assertTrue(smallest.contains(u), mask.layer().weightName() + ": unit " + u + " pruned but not among the smallest");
                }
                if (!smallest.contains(u)) {
                    assertTrue(mask.isActive(p, u), mask.layer().weightName() + ": unit " + u + " should have survived");
                }
            }
        }
    }

    private static void assertZeroOutsideMask(LayerMask mask, NDArray w) {
        byte[] e = mask.expanded();
        float[] v = w.toFloatArray();
        int kvol = mask.layer().kernelVolume();
        for (int k = 0; k < e.length; k++) {
            if (e[k] == 0) {
                for (int i = 0; i < kvol; i++) {
                    assertEquals(0f, v[k * kvol + i], 0f, mask.layer().weightName() + " kernel " + k);
                }
            }
        }
    }

    private static void assertRegrownStartAtZero(LayerMask mask, boolean[] before, NDArray w, NDArray mom) {
        float[] v = w.toFloatArray();
        float[] mv = mom.toFloatArray();
        int kvol = mask.layer().kernelVolume();
        for (int p = 0; p < mask.pools(); p++) {
            for (int u = 0; u < mask.unitsPerPool(); u++) {
                if (!before[p * mask.unitsPerPool() + u] && mask.isActive(p, u)) {
                    for (int k : mask.kernelsOf(p, u)) {
                        for (int i = 0; i < kvol; i++) {
                            assertEquals(0f, v[k * kvol + i], 0f);
                            assertEquals(0f, mv[k * kvol + i], 0f);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theAuthorsDensityRuleGivesTensorsOfFirstDimension48Density02() {
        ModelSpec uniform = new ModelSpec(1, 3, 48, 96, new int[][] {{2, 2, 2}, {2, 2, 2}}, 3, new int[] {16, 16, 16}, 0.7,
                Granularity.KERNEL, org.e2enet.core.spec.DsffSettings.PAPER);
        ModelSpec spec = uniform.withDsff(uniform.dsff().withAuthorsDensityRule(true));
        try (NDManager m = NDManager.newBaseManager()) {
            Dsff dsff = Dsff.initialise(spec, m, new SplittableRandom(2));
            int ruled = 0;
            for (LayerMask mask : dsff.masks().values()) {
                boolean dim48 = mask.layer().maskShape()[0] == 48;
                ruled += dim48 ? 1 : 0;
                assertEquals((int) Math.rint(mask.unitsPerPool() * (dim48 ? 0.2 : 0.3)), mask.activeCount(0), mask.layer().weightName());
            }
            assertTrue(ruled > 0 && ruled < dsff.masks().size(), "some tensors ruled, not all: " + ruled);
        }
    }
}
