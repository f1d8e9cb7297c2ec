package org.e2enet.core.volume;

/**
 * Where a volume's voxels are: grid size, spacing and voxel-to-world affine, plus the NIfTI codes that say
 * how the affine was given, so a written file carries the same header meaning as the one read.
 *
 * @param shape grid size (d, h, w)
 * @param spacing voxel size in mm (d, h, w)
 * @param affine the voxel-to-world matrix used (sform when sform_code &gt; 0, else qform, else pixdim)
 * @param qformCode NIfTI qform_code (0 = none)
 * @param sformCode NIfTI sform_code (0 = none)
 * @param qformAffine the qform's own matrix when it differs from {@code affine}; null to derive it from it
 */
public record Geometry(Shape3 shape, Spacing3 spacing, Affine affine, int qformCode, int sformCode, Affine qformAffine) {
    /** NIfTI code "scanner anatomical". */
    public static final int SCANNER_ANAT = 1;
    /** NIfTI code "aligned". */
    public static final int ALIGNED_ANAT = 2;

    /**
     * A geometry with a diagonal affine from the spacing, qform and sform both set (code 1 and 2, as nibabel writes).
     *
     * @param shape grid size (d, h, w)
     * @param spacing voxel size in mm (d, h, w)
     * @return the geometry
     */
    public static Geometry of(Shape3 shape, Spacing3 spacing) {
        return new Geometry(shape, spacing, Affine.fromSpacing(spacing), SCANNER_ANAT, ALIGNED_ANAT, null);
    }

    /**
     * The same geometry with another grid, spacing and affine (crops, resampling); codes are kept.
     *
     * @param newShape the new grid size
     * @param newSpacing the new voxel size
     * @param newAffine the new voxel-to-world matrix
     * @return the geometry, its qform derived from {@code newAffine}
     */
    public Geometry withGrid(Shape3 newShape, Spacing3 newSpacing, Affine newAffine) {
        return new Geometry(newShape, newSpacing, newAffine, qformCode, sformCode, null);
    }

    /**
     * Whether {@code other} describes the same voxel grid in space: same shape, spacing within
     * {@code relTol} relative, affine entries within {@code relTol} of the largest voxel size.
     *
     * @param other another geometry
     * @param relTol the relative tolerance
     * @return true when the two grids coincide
     */
    public boolean sameGrid(Geometry other, double relTol) {
        if (!shape.equals(other.shape)) {
            return false;
        }
        for (int a = 0; a < 3; a++) {
            if (Math.abs(spacing.get(a) - other.spacing.get(a)) > relTol * spacing.get(a)) {
                return false;
            }
        }
        double scale = Math.max(spacing.d(), Math.max(spacing.h(), spacing.w()));
        return affine.approxEquals(other.affine, relTol * Math.max(1, scale) * 10);
    }
}
