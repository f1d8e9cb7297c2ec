package org.e2enet.core.preprocess;

import java.util.stream.IntStream;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;

/**
 * nnU-Net's resampling, reimplemented: {@code skimage.transform.resize(x, shape, order, mode='edge',
 * anti_aliasing=False)} (pixel-centre aligned coordinates {@code (o + 0.5) * in/out - 0.5}, B-spline of the
 * given order with edge-replicating boundaries, output clipped to the input's range), applied separably per
 * axis (exact for tensor-product splines); segmentations by resizing each label's one-hot mask with order 1
 * and thresholding at 0.5 in ascending label order; and nnU-Net's anisotropic rule: when the spacing
 * anisotropy (max/min) exceeds 3 and exactly one axis has the largest spacing, in-plane resampling is done
 * per slice and the low-resolution axis with order 0.
 *
 * <p>Edge handling follows SciPy: the line is padded with 12 edge copies before the spline prefilter, so the
 * boundary condition of the prefilter affects results by less than 1e-6 relative.
 */
public final class Resampler {
    /** Blocks of lines one axis pass is split into for the fork-join pool. */
    private static final int LINE_BLOCKS = 64;
    /** nnU-Net's anisotropy threshold (the default of {@link Plans#anisotropyThreshold()}). */
    public static final double ANISOTROPY_THRESHOLD = 3;
    /** nnU-Net's spline order for images (the default of {@link Plans#dataOrder()}). */
    public static final int DATA_ORDER = 3;
    /** nnU-Net's spline order for one-hot label masks (the default of {@link Plans#segOrder()}). */
    public static final int SEG_ORDER = 1;
    /** nnU-Net's order along a separately resampled axis (the default of {@link Plans#separateAxisOrder()}). */
    public static final int SEPARATE_AXIS_ORDER = 0;
    private static final int PAD = 12;
    private static final double POLE = Math.sqrt(3) - 2;

    private Resampler() {
    }

    /**
     * New shape for a spacing change, as nnU-Net computes it: round(shape * old / new).
     *
     * @throws BadInputException when the resampled volume would hold more voxels than one array can
     */
    public static Shape3 newShape(Shape3 shape, Spacing3 oldSpacing, Spacing3 newSpacing) {
        double[] s = new double[3];
        double voxels = 1;
        for (int a = 0; a < 3; a++) {
            s[a] = Math.max(1, Math.rint(shape.get(a) * oldSpacing.get(a) / newSpacing.get(a)));
            voxels *= s[a];
        }
        if (voxels > Shape3.MAX_VOXELS) {
            throw new BadInputException(String.format(java.util.Locale.ROOT, "resampling a %s volume from spacing %s to %s mm would make "
                    + "%.0f x %.0f x %.0f = %.3g voxels, more than %d: choose a coarser target spacing", shape, oldSpacing, newSpacing,
                    s[0], s[1], s[2], voxels, Shape3.MAX_VOXELS));
        }
        return new Shape3((int) s[0], (int) s[1], (int) s[2]);
    }

    /**
     * The axis resampled separately with order 0, or -1: decided on the current spacing first, then on the
     * target spacing, as nnU-Net does.
     */
    public static int separateAxis(Spacing3 current, Spacing3 target) {
        return separateAxis(current, target, ANISOTROPY_THRESHOLD);
    }

    /** As {@link #separateAxis(Spacing3, Spacing3)} with another anisotropy threshold (spacing ratio). */
    public static int separateAxis(Spacing3 current, Spacing3 target, double threshold) {
        int axis = lowResAxis(current, threshold);
        return axis >= 0 ? axis : lowResAxis(target, threshold);
    }

    private static int lowResAxis(Spacing3 s, double threshold) {
        double max = Math.max(s.d(), Math.max(s.h(), s.w()));
        double min = Math.min(s.d(), Math.min(s.h(), s.w()));
        if (max / min <= threshold) {
            return -1;
        }
        int axis = -1;
        for (int a = 0; a < 3; a++) {
            if (s.get(a) == max) {
                if (axis >= 0) {
                    return -1; // two axes share the largest spacing: nnU-Net does not separate
                }
                axis = a;
            }
        }
        return axis;
    }

    /** As {@link #resampleData(float[], Shape3, Shape3, int, int, int)} with nnU-Net's order 0 across the separate axis. */
    public static float[] resampleData(float[] data, Shape3 in, Shape3 out, int separate, int order) {
        return resampleData(data, in, out, separate, order, SEPARATE_AXIS_ORDER);
    }

    /**
     * Resamples image data with spline {@code order}; {@code separate} is the axis resampled on its own with
     * {@code separateOrder}, or -1. Returns {@code data} itself when the shape does not change (no copy of a
     * volume that needs no work).
     */
    public static float[] resampleData(float[] data, Shape3 in, Shape3 out, int separate, int order, int separateOrder) {
        if (in.equals(out)) {
            return data;
        }
        if (separate < 0) {
            return resize(data, in, out, order);
        }
        int[] planeShape = in.toArray();
        for (int a = 0; a < 3; a++) {
            if (a != separate) {
                planeShape[a] = out.get(a);
            }
        }
        Shape3 plane = Shape3.of(planeShape);
        float[] inPlane = resizeSlices(data, in, plane, separate, order);
        float[] across = resizeAxis(inPlane, plane, separate, out.get(separate), separateOrder);
        if (separateOrder > 1) {
            clip(across, data);
        }
        return across;
    }

    /** As {@link #resampleSeg(byte[], Shape3, Shape3, int, int, int)} with nnU-Net's orders (1, and 0 across). */
    public static byte[] resampleSeg(byte[] seg, Shape3 in, Shape3 out, int separate) {
        return resampleSeg(seg, in, out, separate, SEG_ORDER, SEPARATE_AXIS_ORDER);
    }

    /**
     * Resamples a label map: each label's one-hot mask with spline {@code order}, thresholded at 0.5;
     * {@code separate} is the axis resampled on its own (nearest when {@code separateOrder} is 0, else one-hot
     * masks with that order), or -1.
     */
    public static byte[] resampleSeg(byte[] seg, Shape3 in, Shape3 out, int separate, int order, int separateOrder) {
        if (in.equals(out)) {
            return seg.clone();
        }
        if (separate < 0) {
            return resizeSegmentation(seg, in, out, -1, order);
        }
        int[] planeShape = in.toArray();
        for (int a = 0; a < 3; a++) {
            if (a != separate) {
                planeShape[a] = out.get(a);
            }
        }
        Shape3 plane = Shape3.of(planeShape);
        byte[] inPlane = resizeSegmentation(seg, in, plane, separate, order);
        if (separateOrder > 0) {
            return resizeSegmentationAlong(inPlane, plane, separate, out.get(separate), separateOrder);
        }
        float[] asFloat = new float[inPlane.length];
        for (int i = 0; i < asFloat.length; i++) {
            asFloat[i] = inPlane[i];
        }
        float[] across = resizeAxis(asFloat, plane, separate, out.get(separate), 0);
        byte[] result = new byte[across.length];
        for (int i = 0; i < result.length; i++) {
            result[i] = (byte) across[i];
        }
        return result;
    }

    /**
     * {@code skimage.transform.resize(data, out, order, mode='edge', anti_aliasing=False)} on the whole volume
     * (clip=True: the result stays within the input's range).
     */
    public static float[] resize(float[] data, Shape3 in, Shape3 out, int order) {
        float[] cur = data;
        Shape3 shape = in;
        for (int axis = 2; axis >= 0; axis--) {
            if (shape.get(axis) != out.get(axis)) {
                cur = resizeAxis(cur, shape, axis, out.get(axis), order);
                int[] s = shape.toArray();
                s[axis] = out.get(axis);
                shape = Shape3.of(s);
            }
        }
        if (cur == data) {
            cur = data.clone();
        }
        if (order > 1) {
            clip(cur, data);
        }
        return cur;
    }

    /** 2D resize of every slice orthogonal to {@code sliceAxis}, each clipped to its own slice's range. */
    private static float[] resizeSlices(float[] data, Shape3 in, Shape3 out, int sliceAxis, int order) {
        float[] cur = data;
        Shape3 shape = in;
        for (int axis = 2; axis >= 0; axis--) {
            if (axis != sliceAxis && shape.get(axis) != out.get(axis)) {
                cur = resizeAxis(cur, shape, axis, out.get(axis), order);
                int[] s = shape.toArray();
                s[axis] = out.get(axis);
                shape = Shape3.of(s);
            }
        }
        if (cur == data) {
            return data.clone();
        }
        if (order > 1) {
            clipPerSlice(cur, out, data, in, sliceAxis);
        }
        return cur;
    }

    /** Clips every slice of {@code res} (along {@code axis}) to the range of the same slice of {@code src}. */
    private static void clipPerSlice(float[] res, Shape3 resShape, float[] src, Shape3 srcShape, int axis) {
        int slices = srcShape.get(axis);
        float[] lo = new float[slices];
        float[] hi = new float[slices];
        java.util.Arrays.fill(lo, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        int srcInner = srcShape.inner(axis);
        for (int i = 0; i < src.length; i++) {
            int k = (i / srcInner) % slices;
            lo[k] = Math.min(lo[k], src[i]);
            hi[k] = Math.max(hi[k], src[i]);
        }
        int resInner = resShape.inner(axis);
        for (int i = 0; i < res.length; i++) {
            int k = (i / resInner) % slices;
            res[i] = Math.max(lo[k], Math.min(hi[k], res[i]));
        }
    }

    private static void clip(float[] res, float[] src) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : src) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        for (int i = 0; i < res.length; i++) {
            res[i] = Math.max(lo, Math.min(hi, res[i]));
        }
    }

    /**
     * nnU-Net's {@code resize_segmentation(seg, shape, order=1)}: for each label present, in ascending order,
     * resize its mask with order 1 and give the label to every voxel where the result is &gt;= 0.5. With
     * {@code sliceAxis} &gt;= 0 only the other two axes are resized.
     */
    private static byte[] resizeSegmentation(byte[] seg, Shape3 in, Shape3 out, int sliceAxis, int order) {
        return perLabel(seg, out.voxelsInt(), mask -> sliceAxis < 0 ? resize(mask, in, out, order) : resizeSlices(mask, in, out, sliceAxis, order));
    }

    /** Labels resized along {@code axis} alone: each label's one-hot mask with spline {@code order}, thresholded at 0.5. */
    private static byte[] resizeSegmentationAlong(byte[] seg, Shape3 shape, int axis, int m, int order) {
        int[] outDims = shape.toArray();
        outDims[axis] = m;
        return perLabel(seg, Shape3.of(outDims).voxelsInt(), mask -> resizeAxis(mask, shape, axis, m, order));
    }

    /**
     * For each label present, in ascending order, resizes its one-hot mask with {@code resize} and gives the
     * label to every output voxel where the result is &gt;= 0.5.
     */
    private static byte[] perLabel(byte[] seg, int outVoxels, java.util.function.UnaryOperator<float[]> resize) {
        boolean[] present = new boolean[256];
        for (byte b : seg) {
            present[b + 128] = true;
        }
        byte[] result = new byte[outVoxels];
        float[] mask = new float[seg.length];
        for (int v = 0; v < 256; v++) {
            if (!present[v]) {
                continue;
            }
            byte label = (byte) (v - 128);
            for (int i = 0; i < seg.length; i++) {
                mask[i] = seg[i] == label ? 1f : 0f;
            }
            float[] r = resize.apply(mask);
            for (int i = 0; i < r.length; i++) {
                if (r[i] >= 0.5f) {
                    result[i] = label;
                }
            }
        }
        return result;
    }

    /**
     * Resizes one axis from its current length to {@code m} with the given spline order. The lines along the
     * axis are independent, so blocks of them run in parallel (in the fork-join pool the caller runs in, e.g. the
     * segmenter's, sized by its threads); the result does not depend on how they are split.
     */
    static float[] resizeAxis(float[] data, Shape3 shape, int axis, int m, int order) {
        int n = shape.get(axis);
        int outer = shape.outer(axis);
        int inner = shape.inner(axis);
        Kernel kernel = new Kernel(n, m, order);
        float[] out = new float[outer * m * inner];
        long lines = (long) outer * inner;
        int blocks = (int) Math.min(lines, LINE_BLOCKS);
        IntStream.range(0, blocks).parallel().forEach(b -> {
            double[] line = new double[n + 2 * PAD];
            double[] coeff = new double[line.length];
            for (long idx = lines * b / blocks; idx < lines * (b + 1) / blocks; idx++) {
                int o = (int) (idx / inner);
                int i = (int) (idx % inner);
                int base = o * n * inner + i;
                for (int k = 0; k < line.length; k++) {
                    int src = Math.min(n - 1, Math.max(0, k - PAD));
                    line[k] = data[base + src * inner];
                }
                double[] c = order > 1 ? prefilter(line, coeff) : line;
                int outBase = o * m * inner + i;
                for (int j = 0; j < m; j++) {
                    out[outBase + j * inner] = (float) kernel.evaluate(c, j);
                }
            }
        });
        return out;
    }

    /** Cubic B-spline coefficients of an (already edge-padded) line. */
    private static double[] prefilter(double[] line, double[] c) {
        int n = line.length;
        double gain = (1 - POLE) * (1 - 1 / POLE);
        for (int k = 0; k < n; k++) {
            c[k] = line[k] * gain;
        }
        double sum = c[0];
        double zk = POLE;
        for (int k = 1; k < Math.min(n, 40); k++) {
            sum += zk * c[k];
            zk *= POLE;
        }
        c[0] = sum;
        for (int k = 1; k < n; k++) {
            c[k] += POLE * c[k - 1];
        }
        c[n - 1] = POLE / (POLE * POLE - 1) * (c[n - 1] + POLE * c[n - 2]);
        for (int k = n - 2; k >= 0; k--) {
            c[k] = POLE * (c[k + 1] - c[k]);
        }
        return c;
    }

    /** Sample positions and weights of one axis, computed once per axis. */
    private static final class Kernel {
        private final int order;
        private final int[] first;
        private final double[][] weights;
        private final int length;

        Kernel(int n, int m, int order) {
            if (order != 0 && order != 1 && order != 3) {
                throw new IllegalArgumentException("spline order must be 0, 1 or 3, got " + order);
            }
            this.order = order;
            this.length = n + 2 * PAD;
            double scale = (double) n / m;
            first = new int[m];
            weights = new double[m][];
            for (int j = 0; j < m; j++) {
                double x = (j + 0.5) * scale - 0.5 + PAD;
                switch (order) {
                    case 0 -> {
                        first[j] = (int) Math.floor(x + 0.5);
                        weights[j] = new double[] {1};
                    }
                    case 1 -> {
                        int f = (int) Math.floor(x);
                        double t = x - f;
                        first[j] = f;
                        weights[j] = new double[] {1 - t, t};
                    }
                    default -> {
                        int f = (int) Math.floor(x);
                        double t = x - f;
                        double u = 1 - t;
                        first[j] = f - 1;
                        weights[j] = new double[] {u * u * u / 6, (3 * t * t * t - 6 * t * t + 4) / 6,
                            (-3 * t * t * t + 3 * t * t + 3 * t + 1) / 6, t * t * t / 6};
                    }
                }
            }
        }

        double evaluate(double[] c, int j) {
            double[] w = weights[j];
            double v = 0;
            for (int k = 0; k < w.length; k++) {
                int idx = Math.min(length - 1, Math.max(0, first[j] + k));
                v += w[k] * c[idx];
            }
            return order == 0 ? c[Math.min(length - 1, Math.max(0, first[j]))] : v;
        }
    }
}
