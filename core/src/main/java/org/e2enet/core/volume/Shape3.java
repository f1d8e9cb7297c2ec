package org.e2enet.core.volume;

/**
 * A 3D size in (d, h, w) order: d is the slowest axis (NIfTI k), w the fastest (NIfTI i). This is the order
 * nnU-Net uses for arrays, patch sizes and spacings.
 *
 * @param d depth (NIfTI dim[3])
 * @param h height (NIfTI dim[2])
 * @param w width (NIfTI dim[1])
 */
public record Shape3(int d, int h, int w) {
    /** Largest voxel count one channel may hold (a Java array). */
    public static final long MAX_VOXELS = Integer.MAX_VALUE - 8L;

    /**
     * Validates the axes are positive.
     *
     * @param d depth (NIfTI dim[3])
     * @param h height (NIfTI dim[2])
     * @param w width (NIfTI dim[1])
     * @throws IllegalArgumentException when a size is not positive
     */
    public Shape3 {
        if (d <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + d + "x" + h + "x" + w);
        }
    }

    /**
     * From a (d, h, w) array.
     *
     * @param dhw three sizes
     * @return the shape
     * @throws IllegalArgumentException when there are not three sizes, or one is not positive
     */
    public static Shape3 of(int[] dhw) {
        if (dhw.length != 3) {
            throw new IllegalArgumentException("a shape needs 3 sizes (d h w), got " + dhw.length);
        }
        return new Shape3(dhw[0], dhw[1], dhw[2]);
    }

    /**
     * Voxel count as a long (never overflows).
     *
     * @return d * h * w
     */
    public long voxels() {
        return (long) d * h * w;
    }

    /**
     * Voxel count as an int index bound.
     *
     * @return d * h * w
     * @throws IllegalArgumentException when one channel would not fit a Java array ({@link #MAX_VOXELS})
     */
    public int voxelsInt() {
        long n = voxels();
        if (n > MAX_VOXELS) {
            throw new IllegalArgumentException("volume of " + this + " voxels exceeds " + MAX_VOXELS + " per channel");
        }
        return (int) n;
    }

    /**
     * Size along axis 0 (d), 1 (h) or 2 (w).
     *
     * @param axis 0, 1 or 2
     * @return the size along it
     */
    public int get(int axis) {
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
     * @return a new array of the three sizes
     */
    public int[] toArray() {
        return new int[] {d, h, w};
    }

    /**
     * Product of the sizes of the axes before {@code axis} (the number of lines along it, per inner offset).
     *
     * @param axis 0, 1 or 2
     * @return 1 for axis 0
     */
    public int outer(int axis) {
        int n = 1;
        for (int a = 0; a < axis; a++) {
            n *= get(a);
        }
        return n;
    }

    /**
     * Product of the sizes of the axes after {@code axis}: the stride between neighbours along it.
     *
     * @param axis 0, 1 or 2
     * @return 1 for axis 2
     */
    public int inner(int axis) {
        int n = 1;
        for (int a = axis + 1; a < 3; a++) {
            n *= get(a);
        }
        return n;
    }

    /**
     * Linear index of (z, y, x) in C order.
     *
     * @param z position along d
     * @param y position along h
     * @param x position along w
     * @return (z * h + y) * w + x
     */
    public int index(int z, int y, int x) {
        return (z * h + y) * w + x;
    }

    @Override
    public String toString() {
        return d + "x" + h + "x" + w;
    }
}
