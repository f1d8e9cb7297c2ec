package org.e2enet.core.metrics;

/**
 * How much of the speedup a FLOPs cut allows a faster model realised: its speedup over the slower one divided
 * by the speedup the FLOPs alone would give, i.e. the FLOPs ratio over the time ratio (0.268 / 0.355 = 75%).
 * 100% is a model whose time falls exactly with its FLOPs; above 100% it ran faster per FLOP than the other.
 * The one definition used by {@code bench}, the quickstart's report and the export benchmark.
 */
public final class FlopsCutRealised {
    private FlopsCutRealised() {
    }

    /**
     * @param timeRatio the faster model's time over the slower one's (pruned / dense)
     * @param flopsRatio its FLOPs over the slower one's
     * @return speedup / FLOPs cut = flopsRatio / timeRatio
     */
    public static double share(double timeRatio, double flopsRatio) {
        if (!(timeRatio > 0) || !(flopsRatio > 0)) {
            throw new IllegalArgumentException("time and FLOPs ratios must be positive: " + timeRatio + ", " + flopsRatio);
        }
        return flopsRatio / timeRatio;
    }
}
