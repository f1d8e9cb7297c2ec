package org.e2enet.trainer.dsff;

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
import org.e2enet.trainer.nn.ModelParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DsffTest {
    @ParameterizedTest
    @ValueSource(strings = {"kernel", "channel", "group:2"})
    void invariantsHoldOverSeveralUpdates(String granularity) {
        ModelSpec spec = Presets.get("tiny").withGranularity(Granularity.parse(granularity));
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
                List<TopologyUpdate> log = dsff.update(dr, weights, momentum, new SplittableRandom(100 + update));
                for (TopologyUpdate u : log) {
                    LayerMask mask = dsff.mask(u.weight());
                    for (int p = 0; p < mask.pools(); p++) {
                        assertEquals(initial.get(u.weight()), mask.activeCount(p), "active count constant: " + u.weight());
                    }
                    assertEquals(u.pruned(), u.regrown());
                    assertEquals((int) Math.ceil(dr * initial.get(u.weight())) * mask.pools(), u.pruned());
                    assertPrunedWereSmallest(mask, l1Before.get(u.weight()), activeBefore.get(u.weight()), dr);
                    assertZeroOutsideMask(mask, weights.get(u.weight()));
                    assertZeroOutsideMask(mask, momentum.get(u.weight()));
                    assertRegrownStartAtZero(mask, activeBefore.get(u.weight()), weights.get(u.weight()), momentum.get(u.weight()));
                }
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
    private static void assertPrunedWereSmallest(LayerMask mask, double[] l1, boolean[] before, double dr) {
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
            int k = (int) Math.ceil(dr * act.size());
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
