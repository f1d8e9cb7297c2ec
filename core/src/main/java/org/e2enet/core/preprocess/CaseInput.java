package org.e2enet.core.preprocess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.dataset.DatasetCase;
import org.e2enet.core.io.InvalidImageException;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Volume;

/**
 * One case as preprocessing takes it: physical intensities per channel, the label map (or null) and the
 * grid they share. Preprocessing normalises the channel arrays in place: a case input is used once.
 *
 * @param id case identifier
 * @param channels intensities per channel, C order over (d, h, w)
 * @param label label values, or null
 * @param geometry the shared grid
 */
public record CaseInput(String id, float[][] channels, byte[] label, Geometry geometry) {
    /** Reads a dataset case's files. */
    public static CaseInput load(DatasetCase c) {
        List<Volume> volumes = readChannels(c.images());
        Geometry g = volumes.get(0).geometry();
        float[][] channels = new float[volumes.size()][];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = volumes.get(i).floats(0);
        }
        byte[] label = null;
        if (c.label() != null) {
            Volume l = NiftiReader.read(c.label());
            if (!l.shape().equals(g.shape())) {
                throw new InvalidImageException(c.label(), "label shape " + l.shape() + " differs from image shape " + g.shape());
            }
            label = new byte[l.shape().voxelsInt()];
            for (int i = 0; i < label.length; i++) {
                double v = l.value(0, i);
                if (v < 0 || v > 127 || v != Math.rint(v)) {
                    throw new InvalidImageException(c.label(), "label value " + v + " is not a class index (0..127)");
                }
                label[i] = (byte) v;
            }
        }
        return new CaseInput(c.id(), channels, label, g);
    }

    /**
     * Reads a case's channel files (one 3D image each, all on the same grid, finite values); a 4D file, a
     * channel of another shape or a NaN/infinite voxel is bad input naming the file.
     */
    public static List<Volume> readChannels(List<Path> files) {
        List<Volume> out = new ArrayList<>();
        for (Path file : files) {
            Volume v = NiftiReader.read(file);
            if (v.channelCount() != 1) {
                throw new InvalidImageException(file, "holds " + v.channelCount() + " volumes; pass one 3D image per channel file");
            }
            if (!out.isEmpty() && !out.get(0).shape().equals(v.shape())) {
                throw new InvalidImageException(file, "shape " + v.shape() + " differs from channel 0's " + out.get(0).shape());
            }
            if (!out.isEmpty() && !out.get(0).geometry().sameGrid(v.geometry(), 1e-4)) {
                throw new InvalidImageException(file, "lies on another grid in space than channel 0 " + files.get(0) + " (spacing " + v.spacing()
                        + " against " + out.get(0).spacing() + ", or another affine)");
            }
            refuseNonFinite(file, v);
            out.add(v);
        }
        return out;
    }

    /** NaN or infinite intensities would turn preprocessing and the network's output into NaN: bad input naming the file. */
    static void refuseNonFinite(Path file, Volume v) {
        for (int c = 0; c < v.channelCount(); c++) {
            int i = v.firstNonFinite(c);
            if (i >= 0) {
                throw new InvalidImageException(file, "holds NaN or infinite voxel values (first at voxel " + i + ")");
            }
        }
    }

    /** A case from volumes already in memory (deployment: no label). */
    public static CaseInput of(String id, List<Volume> channelVolumes) {
        Geometry g = channelVolumes.get(0).geometry();
        float[][] channels = new float[channelVolumes.size()][];
        for (int c = 0; c < channels.length; c++) {
            channels[c] = channelVolumes.get(c).floats(0);
        }
        return new CaseInput(id, channels, null, g);
    }
}
