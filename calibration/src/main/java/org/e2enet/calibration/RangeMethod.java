package org.e2enet.calibration;

import java.util.Locale;

/**
 * How an activation's range is chosen from what the calibration tiles produced: the observed extremes, a
 * percentile of |x|, or the |x| threshold that minimises the KL divergence between the observed distribution
 * and its 8-bit quantization (the entropy calibration TensorRT introduced).
 */
public enum RangeMethod {
    /** The observed minimum and maximum. */
    MINMAX,
    /** The 99.99th percentile of |x| (outliers clipped). */
    PERCENTILE,
    /** KL-divergence minimising threshold of |x|. */
    ENTROPY;

    /** Percentile of |x| that {@link #PERCENTILE} keeps. */
    public static final double PERCENTILE_KEPT = 99.99;

    /** The option value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the method needs a histogram (a second pass over the tiles). */
    boolean needsHistogram() {
        return this != MINMAX;
    }

    /** The range for one tensor from its extremes and, unless {@link #MINMAX}, the histogram of |x| over [0, max |x|]. */
    ActivationRange range(double min, double max, AbsHistogram h) {
        if (this == MINMAX || h == null || h.total() == 0) {
            return new ActivationRange(min, max);
        }
        double t = this == PERCENTILE ? h.percentile(PERCENTILE_KEPT) : h.entropyThreshold(128);
        return new ActivationRange(Math.max(min, -t), Math.min(max, t));
    }
}
