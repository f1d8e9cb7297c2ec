package org.e2enet.calibration;

/** A histogram of |x| over [0, bound] in equal bins, with the percentile and entropy thresholds calibration reads from it. */
final class AbsHistogram {
    private final long[] counts;
    private final double bound;
    private long total;

    /** {@code bins} bins over [0, bound] ({@code bound} > 0). */
    AbsHistogram(int bins, double bound) {
        counts = new long[bins];
        this.bound = bound > 0 ? bound : 1;
    }

    /** Adds every value of {@code values}. */
    void add(float[] values) {
        double perBin = counts.length / bound;
        int last = counts.length - 1;
        for (float v : values) {
            counts[Math.min(last, (int) (Math.abs(v) * perBin))]++;
        }
        total += values.length;
    }

    long total() {
        return total;
    }

    /** The |x| below which {@code percent}% of the values lie (upper edge of that bin). */
    double percentile(double percent) {
        long need = (long) Math.ceil(total * percent / 100);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= need) {
                return (i + 1) * bound / counts.length;
            }
        }
        return bound;
    }

    /**
     * The threshold T minimising KL(P || Q), where P is the histogram clipped at T (the clipped mass added to its
     * last bin) and Q is P merged into {@code levels} levels and spread back over the bins that were non-zero.
     */
    double entropyThreshold(int levels) {
        int n = counts.length;
        if (n <= levels) {
            return bound;
        }
        double best = Double.POSITIVE_INFINITY;
        int bestBins = n;
        double[] p = new double[n];
        double[] q = new double[n];
        for (int i = levels; i <= n; i++) {
            long outliers = 0;
            for (int j = i; j < n; j++) {
                outliers += counts[j];
            }
            for (int j = 0; j < i; j++) {
                p[j] = counts[j];
            }
            p[i - 1] += outliers;
            double merged = (double) i / levels;
            for (int l = 0; l < levels; l++) {
                int lo = (int) Math.floor(l * merged);
                int hi = l == levels - 1 ? i : (int) Math.floor((l + 1) * merged);
                double sum = 0;
                int nonzero = 0;
                for (int j = lo; j < hi; j++) {
                    sum += counts[j];
                    if (counts[j] != 0) {
                        nonzero++;
                    }
                }
                for (int j = lo; j < hi; j++) {
                    q[j] = counts[j] == 0 || nonzero == 0 ? 0 : sum / nonzero;
                }
            }
            double kl = divergence(p, q, i);
            if (kl < best) {
                best = kl;
                bestBins = i;
            }
        }
        return bestBins * bound / n;
    }

    /** KL(P || Q) over the first {@code len} bins, both normalised; a bin where P has mass and Q none costs a fixed penalty. */
    private static double divergence(double[] p, double[] q, int len) {
        double sp = 0;
        double sq = 0;
        for (int j = 0; j < len; j++) {
            sp += p[j];
            sq += q[j];
        }
        if (sp == 0 || sq == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double kl = 0;
        for (int j = 0; j < len; j++) {
            if (p[j] == 0) {
                continue;
            }
            double pj = p[j] / sp;
            kl += q[j] == 0 ? pj * 20 : pj * Math.log(pj / (q[j] / sq));
        }
        return kl;
    }
}
