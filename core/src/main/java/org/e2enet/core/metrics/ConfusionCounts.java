package org.e2enet.core.metrics;

/**
 * Voxel counts of a predicted label map against a reference, per class: true positives, false positives and
 * false negatives, from which agreement and Dice follow. The one Dice-from-counts of the project: training's
 * pseudo-Dice, parity's agreement and evaluation all use it.
 */
public final class ConfusionCounts {
    private final long[] tp;
    private final long[] fp;
    private final long[] fn;
    private long voxels;

    /** Counts for labels 0..classes-1. */
    public ConfusionCounts(int classes) {
        tp = new long[classes];
        fp = new long[classes];
        fn = new long[classes];
    }

    /** The counts of {@code predicted} against {@code reference}, voxel by voxel. */
    public static ConfusionCounts of(byte[] reference, byte[] predicted, int classes) {
        if (reference.length != predicted.length) {
            throw new IllegalArgumentException("reference and prediction differ in size: " + reference.length + " vs " + predicted.length);
        }
        ConfusionCounts c = new ConfusionCounts(classes);
        for (int i = 0; i < reference.length; i++) {
            c.add(reference[i] & 0xff, predicted[i] & 0xff);
        }
        return c;
    }

    /** Counts one voxel. */
    public void add(int reference, int predicted) {
        voxels++;
        if (reference == predicted) {
            tp[reference]++;
        } else {
            fp[predicted]++;
            fn[reference]++;
        }
    }

    /** Number of classes. */
    public int classes() {
        return tp.length;
    }

    /** Voxels counted. */
    public long voxels() {
        return voxels;
    }

    /** Fraction of voxels with the same label in both (0 when nothing was counted). */
    public double agreement() {
        long agree = 0;
        for (long t : tp) {
            agree += t;
        }
        return (double) agree / Math.max(1, voxels);
    }

    /** Voxels of class {@code c} in the prediction. */
    public long predicted(int c) {
        return tp[c] + fp[c];
    }

    /** Voxels of class {@code c} in the reference. */
    public long reference(int c) {
        return tp[c] + fn[c];
    }

    /** Dice of class {@code c}: 2 TP / (2 TP + FP + FN), NaN when the class is absent from both. */
    public double dice(int c) {
        double denom = 2.0 * tp[c] + fp[c] + fn[c];
        return denom == 0 ? Double.NaN : 2.0 * tp[c] / denom;
    }

    /** Dice of each foreground class (index 0 = class 1). */
    public double[] foregroundDice() {
        double[] d = new double[tp.length - 1];
        for (int c = 1; c < tp.length; c++) {
            d[c - 1] = dice(c);
        }
        return d;
    }

    /** Mean of the foreground Dice over the classes present in either map (1 when none is). */
    public double meanForegroundDice() {
        return meanPresent(foregroundDice());
    }

    /** Mean of the values that are not NaN (classes absent from both maps), 1 when all are NaN. */
    public static double meanPresent(double[] dice) {
        double m = nanMean(dice);
        return Double.isNaN(m) ? 1 : m;
    }

    /** Mean of the values that are not NaN; NaN when all are. */
    public static double nanMean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
