package org.e2enet.core.metrics;

import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.preprocess.Percentiles;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;

/**
 * Dice, normalised surface Dice and HD95 of a predicted label map against a reference, per class.
 *
 * <p>Surfaces are the voxels of a mask with at least one 6-neighbour outside it (the image border counts as
 * outside). NSD = (|{p in S_pred : d(p, S_ref) &lt;= tau}| + |{q in S_ref : d(q, S_pred) &lt;= tau}|) /
 * (|S_pred| + |S_ref|), as MONAI's voxel-surface variant; HD95 = max of the two directed 95th percentiles of
 * surface distances (MONAI's definition). Distances are in mm, using the spacing.
 */
public final class SegmentationMetrics {
    private SegmentationMetrics() {
    }

    /** Metrics of classes 1..classes-1. */
    public static List<ClassMetrics> compute(byte[] prediction, byte[] reference, Shape3 shape, Spacing3 spacing, int classes,
                                             double toleranceMm) {
        if (prediction.length != reference.length || prediction.length != shape.voxelsInt()) {
            throw new IllegalArgumentException("prediction, reference and shape disagree in size");
        }
        ConfusionCounts counts = ConfusionCounts.of(reference, prediction, Math.max(classes, maxLabel(prediction, reference) + 1));
        List<ClassMetrics> out = new ArrayList<>();
        for (int c = 1; c < classes; c++) {
            long np = counts.predicted(c);
            long nr = counts.reference(c);
            if (np == 0 && nr == 0) {
                out.add(new ClassMetrics(c, Double.NaN, Double.NaN, Double.NaN, 0, 0));
                continue;
            }
            double dice = counts.dice(c);
            boolean[] p = new boolean[prediction.length];
            boolean[] r = new boolean[reference.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = prediction[i] == c;
                r[i] = reference[i] == c;
            }
            if (np == 0 || nr == 0) {
                out.add(new ClassMetrics(c, dice, 0, Double.POSITIVE_INFINITY, nr, np));
                continue;
            }
            boolean[] sp = surface(p, shape);
            boolean[] sr = surface(r, shape);
            double[] toRef = distancesFrom(sp, DistanceTransform.of(sr, shape, spacing));
            double[] toPred = distancesFrom(sr, DistanceTransform.of(sp, shape, spacing));
            long within = 0;
            for (double d : toRef) {
                within += d <= toleranceMm ? 1 : 0;
            }
            for (double d : toPred) {
                within += d <= toleranceMm ? 1 : 0;
            }
            double nsd = (double) within / (toRef.length + toPred.length);
            double hd95 = Math.max(Percentiles.of(toRef, 95), Percentiles.of(toPred, 95));
            out.add(new ClassMetrics(c, dice, nsd, hd95, nr, np));
        }
        return out;
    }

    private static int maxLabel(byte[] a, byte[] b) {
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.max(a[i] & 0xff, b[i] & 0xff));
        }
        return max;
    }

    /** Surface voxels: in the mask with a 6-neighbour outside it or on the grid border. */
    static boolean[] surface(boolean[] mask, Shape3 s) {
        boolean[] out = new boolean[mask.length];
        int hw = s.h() * s.w();
        for (int z = 0; z < s.d(); z++) {
            for (int y = 0; y < s.h(); y++) {
                for (int x = 0; x < s.w(); x++) {
                    int i = s.index(z, y, x);
                    if (!mask[i]) {
                        continue;
                    }
                    out[i] = z == 0 || y == 0 || x == 0 || z == s.d() - 1 || y == s.h() - 1 || x == s.w() - 1
                            || !mask[i - hw] || !mask[i + hw] || !mask[i - s.w()] || !mask[i + s.w()] || !mask[i - 1] || !mask[i + 1];
                }
            }
        }
        return out;
    }

    private static double[] distancesFrom(boolean[] points, double[] field) {
        int n = 0;
        for (boolean b : points) {
            n += b ? 1 : 0;
        }
        double[] out = new double[n];
        int k = 0;
        for (int i = 0; i < points.length; i++) {
            if (points[i]) {
                out[k++] = field[i];
            }
        }
        return out;
    }
}
