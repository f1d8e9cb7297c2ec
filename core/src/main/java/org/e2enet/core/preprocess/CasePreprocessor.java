package org.e2enet.core.preprocess;

import org.e2enet.core.volume.Affine;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.volume.VoxelData;

/**
 * nnU-Net's per-case preprocessing, forward (crop to non-zero, normalise, resample to the target spacing)
 * and inverse (resample back, un-crop) so a prediction lands on the input's own grid. The same code serves
 * training and deployment.
 */
public final class CasePreprocessor {
    private final Plans plans;

    /** @param plans the transform to apply */
    public CasePreprocessor(Plans plans) {
        this.plans = plans;
    }

    /** The plans applied. */
    public Plans plans() {
        return plans;
    }

    /** Crop, normalise, resample. */
    public PreprocessedCase forward(CaseInput in) {
        Geometry g = in.geometry();
        Shape3 shape = g.shape();
        if (in.channels().length != plans.channelNames().size()) {
            throw new IllegalArgumentException("case " + in.id() + " has " + in.channels().length + " channel(s), the plans expect "
                    + plans.channelNames().size());
        }
        boolean[] mask = NonzeroMask.of(in.channels(), shape);
        BoundingBox box = plans.cropToNonzero() ? NonzeroMask.boundingBox(mask, shape) : BoundingBox.all(shape);
        Shape3 cropShape = box.shape();
        boolean[] cropMask = cropMask(mask, shape, box);
        Spacing3 target = plans.target();
        Shape3 outShape = Resampler.newShape(cropShape, g.spacing(), target);
        int separate = Resampler.separateAxis(g.spacing(), target, plans.anisotropyThreshold());
        float[][] channels = new float[in.channels().length][];
        for (int c = 0; c < channels.length; c++) {
            float[] x = box.crop(in.channels()[c], shape);
            plans.normalization().get(c).apply(x, cropMask);
            channels[c] = Resampler.resampleData(x, cropShape, outShape, separate, plans.dataOrder(), plans.separateAxisOrder());
        }
        byte[] label = in.label() == null ? null : Resampler.resampleSeg(box.crop(in.label(), shape), cropShape, outShape, separate,
                plans.segOrder(), plans.separateAxisOrder());
        double[] scale = new double[3];
        for (int a = 0; a < 3; a++) {
            scale[a] = (double) cropShape.get(a) / outShape.get(a);
        }
        // output voxel o sits at input coordinate lo + (o + 0.5) * scale - 0.5 (pixel centres aligned)
        double[] offsetIjk = new double[3];
        double[] stepIjk = new double[3];
        for (int a = 0; a < 3; a++) {
            int ijk = 2 - a;
            offsetIjk[ijk] = box.lo()[a] + 0.5 * scale[a] - 0.5;
            stepIjk[ijk] = scale[a];
        }
        Affine affine = g.affine().subGrid(offsetIjk, stepIjk);
        Spacing3 spacing = new Spacing3(g.spacing().d() * scale[0], g.spacing().h() * scale[1], g.spacing().w() * scale[2]);
        CaseProperties props = new CaseProperties(in.id(), shape.toArray(), g.spacing().toArray(), g.affine().toArray(),
                g.qformAffine() == null ? null : g.qformAffine().toArray(), g.qformCode(), g.sformCode(), box.lo(), box.hi(), outShape.toArray());
        return new PreprocessedCase(channels, label, g.withGrid(outShape, spacing, affine), props);
    }

    private static boolean[] cropMask(boolean[] mask, Shape3 shape, BoundingBox box) {
        byte[] asBytes = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            asBytes[i] = (byte) (mask[i] ? 1 : 0);
        }
        byte[] cropped = box.crop(asBytes, shape);
        boolean[] out = new boolean[cropped.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = cropped[i] != 0;
        }
        return out;
    }

    /** A label map on the preprocessed grid, put back on the original grid (uint8 volume). */
    public Volume inverseLabels(byte[] seg, CaseProperties p) {
        Shape3 from = Shape3.of(p.shapeAfterResampling());
        BoundingBox box = p.crop();
        int separate = Resampler.separateAxis(plans.target(), Spacing3.of(p.originalSpacing()), plans.anisotropyThreshold());
        byte[] cropped = Resampler.resampleSeg(seg, from, box.shape(), separate, plans.segOrder(), plans.separateAxisOrder());
        Geometry g = p.originalGeometry();
        return Volume.of(g, VoxelData.ofUnsignedBytes(box.uncrop(cropped, g.shape())));
    }

    /**
     * Class probabilities on the preprocessed grid, put back on the original grid (order 1, as nnU-Net
     * resamples predicted probabilities); outside the crop box background has probability 1.
     */
    public float[][] inverseProbabilities(float[][] probs, CaseProperties p) {
        Shape3 from = Shape3.of(p.shapeAfterResampling());
        BoundingBox box = p.crop();
        int separate = Resampler.separateAxis(plans.target(), Spacing3.of(p.originalSpacing()), plans.anisotropyThreshold());
        Shape3 original = Shape3.of(p.originalShape());
        float[][] out = new float[probs.length][];
        for (int c = 0; c < probs.length; c++) {
            float[] r = Resampler.resampleData(probs[c], from, box.shape(), separate, 1, plans.separateAxisOrder());
            out[c] = box.uncrop(r, original, c == 0 ? 1f : 0f);
        }
        return out;
    }
}
