package org.e2enet.core.preprocess;

import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.dataset.DatasetDescriptor;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;

/** Turns a fingerprint into plans with nnU-Net's rules. */
public final class Planner {
    /** nnU-Net uses the non-zero mask for z-scoring when cropping kept less than this fraction (median case). */
    static final double MASK_FOR_NORM_BELOW = 0.75;

    private Planner() {
    }

    /**
     * nnU-Net's full-resolution target spacing: the per-axis median spacing; but when the thickest axis is
     * more than 3x the others and has fewer than a third of their voxels (median sizes after cropping), that
     * axis takes the 10th percentile of its spacings instead, kept above the largest other spacing.
     */
    public static double[] targetSpacing(List<double[]> spacings, List<int[]> shapes) {
        double[] target = new double[3];
        double[] size = new double[3];
        for (int a = 0; a < 3; a++) {
            double[] s = new double[spacings.size()];
            double[] n = new double[shapes.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = spacings.get(i)[a];
                n[i] = shapes.get(i)[a];
            }
            target[a] = Percentiles.of(s, 50);
            size[a] = Percentiles.of(n, 50);
        }
        int worst = 0;
        for (int a = 1; a < 3; a++) {
            if (target[a] > target[worst]) {
                worst = a;
            }
        }
        double maxOther = 0;
        double minOtherSize = Double.MAX_VALUE;
        for (int a = 0; a < 3; a++) {
            if (a != worst) {
                maxOther = Math.max(maxOther, target[a]);
                minOtherSize = Math.min(minOtherSize, size[a]);
            }
        }
        boolean anisoSpacing = target[worst] > Resampler.ANISOTROPY_THRESHOLD * maxOther;
        boolean anisoVoxels = size[worst] * Resampler.ANISOTROPY_THRESHOLD < minOtherSize;
        if (anisoSpacing && anisoVoxels) {
            double[] axis = new double[spacings.size()];
            for (int i = 0; i < axis.length; i++) {
                axis[i] = spacings.get(i)[worst];
            }
            double t = Percentiles.of(axis, 10);
            if (t < maxOther) {
                t = Math.max(maxOther, t) + 1e-5;
            }
            target[worst] = t;
        }
        return target;
    }

    /** The plans for a dataset; {@code spacingOverride} (may be null) replaces the computed target spacing. */
    public static Plans plan(DatasetDescriptor d, Fingerprint f, Spacing3 spacingOverride) {
        double[] target = spacingOverride != null ? spacingOverride.toArray() : targetSpacing(f.spacings(), f.shapesAfterCrop());
        double[] medianSpacing = new double[3];
        double[] medianShape = new double[3];
        int[] medianResampled = new int[3];
        for (int a = 0; a < 3; a++) {
            double[] s = new double[f.spacings().size()];
            double[] n = new double[s.length];
            double[] r = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = f.spacings().get(i)[a];
                n[i] = f.shapesAfterCrop().get(i)[a];
                r[i] = Resampler.newShape(Shape3.of(f.shapesAfterCrop().get(i)), Spacing3.of(f.spacings().get(i)),
                        Spacing3.of(target)).get(a);
            }
            medianSpacing[a] = Percentiles.of(s, 50);
            medianShape[a] = Percentiles.of(n, 50);
            medianResampled[a] = (int) Math.rint(Percentiles.of(r, 50));
        }
        List<ChannelNormalization> norms = new ArrayList<>();
        for (int c = 0; c < d.channels(); c++) {
            NormalizationScheme scheme = NormalizationScheme.forChannelName(d.channelNames().get(c));
            IntensityStatistics st = f.intensities().get(c);
            boolean useMask = scheme == NormalizationScheme.ZSCORE && f.medianRelativeSizeAfterCropping() < MASK_FOR_NORM_BELOW;
            norms.add(new ChannelNormalization(scheme, useMask, st.mean(), st.std(), st.percentile005(), st.percentile995()));
        }
        return new Plans(Plans.FORMAT, d.name(), List.copyOf(d.channelNames().values()), List.of(d.classNames()), target,
                medianSpacing, medianShape, medianResampled, true, Resampler.ANISOTROPY_THRESHOLD, Resampler.DATA_ORDER,
                Resampler.SEG_ORDER, Resampler.SEPARATE_AXIS_ORDER, norms);
    }
}
