package org.e2enet.core.volume;

/**
 * Voxel spacing in millimetres in (d, h, w) order (NIfTI pixdim[3], pixdim[2], pixdim[1]).
 *
 * @param d spacing along d
 * @param h spacing along h
 * @param w spacing along w
 */
public record Spacing3(double d, double h, double w) {
    /**
     * Validates positive, finite spacings.
     *
     * @param d spacing along d
     * @param h spacing along h
     * @param w spacing along w
     * @throws IllegalArgumentException when a spacing is not positive or not finite
     */
    public Spacing3 {
        if (!(d > 0 && h > 0 && w > 0) || !Double.isFinite(d + h + w)) {
            throw new IllegalArgumentException("spacing must be positive and finite: " + d + ", " + h + ", " + w);
        }
    }

    /**
     * From a (d, h, w) array.
     *
     * @param dhw three spacings in mm
     * @return the spacing
     * @throws IllegalArgumentException when there are not three values, or one is not positive and finite
     */
    public static Spacing3 of(double[] dhw) {
        if (dhw.length != 3) {
            throw new IllegalArgumentException("a spacing needs 3 values (d h w), got " + dhw.length);
        }
        return new Spacing3(dhw[0], dhw[1], dhw[2]);
    }

    /**
     * Spacing along axis 0 (d), 1 (h) or 2 (w).
     *
     * @param axis 0, 1 or 2
     * @return the spacing along it, in mm
     */
    public double get(int axis) {
        return switch (axis) {
            case 0 -> d;
            case 1 -> h;
            case 2 -> w;
            default -> throw new IndexOutOfBoundsException(axis);
        };
    }

    /**
     * As a (d, h, w) array.
     *
     * @return a new array of the three spacings
     */
    public double[] toArray() {
        return new double[] {d, h, w};
    }

    /**
     * Volume of one voxel.
     *
     * @return d * h * w, in mm^3
     */
    public double voxelVolume() {
        return d * h * w;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.4gx%.4gx%.4g", d, h, w);
    }
}
