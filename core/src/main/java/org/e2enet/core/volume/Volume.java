package org.e2enet.core.volume;

import java.util.List;

/**
 * A 3D image with one or more channels (a 4D NIfTI's 4th axis), each stored in its own datatype, plus the
 * geometry and the NIfTI intensity scaling (physical value = raw * slope + inter). Storage is not copied
 * when reading or writing, so a 512x512x1000 int16 CT occupies about 0.5 GiB.
 */
public final class Volume {
    private final Geometry geometry;
    private final List<VoxelData> channels;
    private final double slope;
    private final double inter;

    /**
     * @param geometry the grid
     * @param channels one storage per channel, each of {@code geometry.shape().voxels()} voxels
     * @param slope NIfTI scl_slope (1 for none)
     * @param inter NIfTI scl_inter (0 for none)
     */
    public Volume(Geometry geometry, List<VoxelData> channels, double slope, double inter) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("a volume needs at least one channel");
        }
        long n = geometry.shape().voxels();
        for (VoxelData c : channels) {
            if (c.length() != n) {
                throw new IllegalArgumentException("channel of " + c.length() + " voxels for a " + geometry.shape() + " grid");
            }
        }
        this.geometry = geometry;
        this.channels = List.copyOf(channels);
        this.slope = slope;
        this.inter = inter;
    }

    /**
     * A single-channel volume without intensity scaling.
     *
     * @param geometry the grid
     * @param data the voxels, {@code geometry.shape().voxels()} of them
     * @return the volume, which shares {@code data}
     */
    public static Volume of(Geometry geometry, VoxelData data) {
        return new Volume(geometry, List.of(data), 1, 0);
    }

    /**
     * A zero-filled volume of {@code nChannels} channels of {@code type}.
     *
     * @param geometry the grid
     * @param type the datatype of every channel
     * @param nChannels the number of channels, at least 1
     * @return the volume, unscaled
     */
    public static Volume zeros(Geometry geometry, VoxelType type, int nChannels) {
        VoxelData[] data = new VoxelData[nChannels];
        for (int c = 0; c < nChannels; c++) {
            data[c] = VoxelData.allocate(type, geometry.shape().voxelsInt());
        }
        return new Volume(geometry, List.of(data), 1, 0);
    }

    /**
     * The grid.
     *
     * @return its shape, spacing and affine
     */
    public Geometry geometry() {
        return geometry;
    }

    /**
     * Grid size.
     *
     * @return the geometry's shape
     */
    public Shape3 shape() {
        return geometry.shape();
    }

    /**
     * Voxel size in mm.
     *
     * @return the geometry's spacing
     */
    public Spacing3 spacing() {
        return geometry.spacing();
    }

    /**
     * Number of channels.
     *
     * @return at least 1
     */
    public int channelCount() {
        return channels.size();
    }

    /**
     * Storage of channel {@code c} (raw values).
     *
     * @param c the channel, from 0
     * @return its voxels, shared with the volume
     */
    public VoxelData channel(int c) {
        return channels.get(c);
    }

    /**
     * Datatype of the storage.
     *
     * @return channel 0's datatype
     */
    public VoxelType type() {
        return channels.get(0).type();
    }

    /**
     * NIfTI scl_slope (1 when none).
     *
     * @return the factor of the raw values
     */
    public double slope() {
        return slope;
    }

    /**
     * NIfTI scl_inter (0 when none).
     *
     * @return the offset added to the scaled raw values
     */
    public double inter() {
        return inter;
    }

    /**
     * Whether raw values are scaled.
     *
     * @return true when the slope is not 1 or the offset not 0
     */
    public boolean isScaled() {
        return slope != 1 || inter != 0;
    }

    /**
     * The physical (scaled) value of voxel {@code index} in channel {@code c}.
     *
     * @param c the channel, from 0
     * @param index the voxel's linear index ({@link Shape3#index})
     * @return raw * slope + inter
     */
    public double value(int c, int index) {
        return channels.get(c).get(index) * slope + inter;
    }

    /**
     * The index of channel {@code c}'s first voxel whose physical value is NaN or infinite, or -1 when there is
     * none (at once for unscaled integer data, which cannot hold one).
     *
     * @param c the channel, from 0
     * @return the voxel's linear index, or -1
     */
    public int firstNonFinite(int c) {
        if (type().isInteger() && !isScaled()) {
            return -1;
        }
        VoxelData data = channels.get(c);
        for (int i = 0; i < data.length(); i++) {
            if (!Double.isFinite(data.get(i) * slope + inter)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Channel {@code c}'s physical values as a new float array.
     *
     * @param c the channel, from 0
     * @return the scaled values, in linear index order
     */
    public float[] floats(int c) {
        VoxelData data = channels.get(c);
        if (!isScaled()) {
            return data.toFloats();
        }
        float[] out = new float[data.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (data.get(i) * slope + inter);
        }
        return out;
    }

    /**
     * The same voxels on another geometry of the same shape.
     *
     * @param newGeometry a geometry of this volume's shape
     * @return a volume sharing this one's storage
     */
    public Volume withGeometry(Geometry newGeometry) {
        return new Volume(newGeometry, channels, slope, inter);
    }

}
