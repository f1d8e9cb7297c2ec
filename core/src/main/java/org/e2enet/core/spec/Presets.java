package org.e2enet.core.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named model specs. The paper configurations ({@code amos}, {@code btcv}, {@code brats}) use 5 x (2,2,2)
 * pools, base 48 / max 320 channels, shift groups 3 and the paper's DSFF schedule, on a 128^3 patch (96^3
 * for BTCV); {@code tiny} trains in minutes on 2 CPU cores, {@code small} is the benchmark size.
 */
public final class Presets {
    private static final int[][] FIVE_ISOTROPIC = {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}};
    private static final Map<String, ModelSpec> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("tiny", new ModelSpec(1, 4, 8, 64, new int[][] {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}}, 3,
                new int[] {32, 32, 32}, 0.8, Granularity.KERNEL, new DsffSettings(30, 0.5, 0.001, Regrow.ZERO, false)));
        PRESETS.put("small", new ModelSpec(1, 4, 16, 128, new int[][] {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}}, 3,
                new int[] {64, 64, 64}, 0.8, Granularity.KERNEL, new DsffSettings(300, 0.5, 0.001, Regrow.ZERO, false)));
        PRESETS.put("amos", paper(1, 16, 128, 0.8));
        PRESETS.put("btcv", paper(1, 14, 96, 0.7));
        PRESETS.put("brats", paper(4, 4, 128, 0.8));
    }

    private Presets() {
    }

    private static ModelSpec paper(int inputs, int classes, int patch, double sparsity) {
        return new ModelSpec(inputs, classes, 48, 320, FIVE_ISOTROPIC, 3, new int[] {patch, patch, patch}, sparsity,
                Granularity.KERNEL, DsffSettings.PAPER);
    }

    /** The preset names, in a fixed order. */
    public static Set<String> names() {
        return PRESETS.keySet();
    }

    /** The preset called {@code name}. */
    public static ModelSpec get(String name) {
        ModelSpec spec = PRESETS.get(name.toLowerCase(java.util.Locale.ROOT));
        if (spec == null) {
            throw new IllegalArgumentException("unknown preset '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return spec;
    }
}
