package org.e2enet.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.nifti.NiftiHeader;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.volume.VoxelType;

/**
 * What segmenting one case costs in heap, estimated before any voxel is read (from the channel files' headers) or
 * computed (from volumes in memory): what {@link MemoryAdmission} admits by, and what refuses at once a case larger
 * than the JVM's whole heap (naming the file and the -Xmx it needs) instead of failing with an out-of-memory error
 * after minutes of work.
 */
final class CaseMemory {
    /** Headroom for what the estimate leaves out (tiles, slab accumulators, the engine's own buffers). */
    private static final double MARGIN = 1.25;

    private CaseMemory() {
    }

    /** One channel's size: voxels, bytes per stored voxel, spacing. */
    private record Channel(double voxels, int storedBytes, Spacing3 spacing) {
    }

    /** The estimate for a case given as files, from their headers. */
    static long estimate(CaseFiles c, Plans plans, int classes, boolean probabilities) {
        List<Channel> channels = new ArrayList<>();
        for (Path f : c.channels()) {
            NiftiHeader h = NiftiReader.readHeader(f);
            int stored = VoxelType.fromNiftiCode(h.datatype()).map(VoxelType::bytes).orElse(4);
            channels.add(new Channel((double) h.size(1) * h.size(2) * h.size(3), stored, NiftiReader.geometry(f, h).spacing()));
        }
        return total(channels, plans, classes, probabilities);
    }

    /** The estimate for a case given as volumes in memory. */
    static long estimate(List<Volume> volumes, Plans plans, int classes, boolean probabilities) {
        List<Channel> channels = new ArrayList<>();
        for (Volume v : volumes) {
            channels.add(new Channel(v.shape().voxels(), v.type().bytes(), v.spacing()));
        }
        return total(channels, plans, classes, probabilities);
    }

    /**
     * Bytes the case needs: each channel as stored, as floats and as its cropped copy; the resampled channels;
     * labels on both grids; and the probabilities on the input grid when asked for.
     */
    private static long total(List<Channel> channels, Plans plans, int classes, boolean probabilities) {
        double bytes = 0;
        double voxels = 0;
        double resampled = 0;
        for (Channel c : channels) {
            bytes += c.voxels() * (c.storedBytes() + 4 + 4);
            voxels = Math.max(voxels, c.voxels());
            if (plans != null) {
                Spacing3 s = c.spacing();
                Spacing3 t = plans.target();
                resampled = Math.max(resampled, c.voxels() * (s.d() / t.d()) * (s.h() / t.h()) * (s.w() / t.w()));
            }
        }
        bytes += resampled * 4 * channels.size() + resampled + 2 * voxels;
        if (probabilities) {
            bytes += voxels * 4.0 * classes;
        }
        return (long) (bytes * MARGIN);
    }

    /**
     * Refuses a case whose estimate exceeds what the JVM's heap can ever hold.
     *
     * @param need the case's estimate
     * @param id the case
     * @param file its first channel file, or null for volumes in memory
     */
    static void refuseBeyondHeap(long need, String id, Path file) {
        long max = Runtime.getRuntime().maxMemory();
        if (need > max) {
            String problem = String.format(Locale.ROOT, "case '%s' needs about %.2f GiB of heap to segment, the JVM's whole heap is %.2f GiB: "
                    + "raise -Xmx (JAVA_OPTS=-Xmx%dg)", id, need / 1073741824.0, max / 1073741824.0, (long) Math.ceil(need / 1073741824.0) + 1);
            throw file == null ? new BadInputException(problem) : BadInputException.of(file, problem);
        }
    }
}
