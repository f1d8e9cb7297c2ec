package org.e2enet.runtime;

import java.nio.file.Path;
import java.util.Locale;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.nifti.NiftiHeader;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.volume.VoxelType;

/**
 * What predicting one case costs in heap, estimated from the channel files' headers before any voxel is read,
 * so that a case too large for the JVM is refused at once (naming the file and the -Xmx it needs) instead of
 * failing with an out-of-memory error after minutes of work.
 */
final class CaseMemory {
    /** Headroom for what the estimate leaves out (tiles, slab accumulators, the engine's own buffers). */
    private static final double MARGIN = 1.25;

    private CaseMemory() {
    }

    /**
     * Bytes the case needs: each channel as stored, as floats and as its cropped copy; the resampled channels;
     * labels on both grids; and the probabilities on the input grid when asked for.
     */
    static long estimate(CaseFiles c, Plans plans, int classes, boolean probabilities) {
        double bytes = 0;
        double voxels = 0;
        double resampled = 0;
        for (Path f : c.channels()) {
            NiftiHeader h = NiftiReader.readHeader(f);
            double v = (double) h.size(1) * h.size(2) * h.size(3);
            int stored = VoxelType.fromNiftiCode(h.datatype()).map(VoxelType::bytes).orElse(4);
            bytes += v * (stored + 4 + 4);
            voxels = Math.max(voxels, v);
            if (plans != null) {
                Spacing3 s = NiftiReader.geometry(f, h).spacing();
                Spacing3 t = plans.target();
                resampled = Math.max(resampled, v * (s.d() / t.d()) * (s.h() / t.h()) * (s.w() / t.w()));
            }
        }
        bytes += resampled * 4 * c.channels().size() + resampled + 2 * voxels;
        if (probabilities) {
            bytes += voxels * 4.0 * classes;
        }
        return (long) (bytes * MARGIN);
    }

    /** Refuses the case when its estimate exceeds the heap the JVM can still give. */
    static void check(CaseFiles c, Plans plans, int classes, boolean probabilities) {
        long need = estimate(c, plans, classes, probabilities);
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need > free) {
            throw BadInputException.of(c.channels().get(0), String.format(Locale.ROOT, "case '%s' needs about %.2f GiB of heap to predict, "
                    + "the JVM has %.2f GiB free: raise -Xmx (JAVA_OPTS=-Xmx%dg)", c.id(), need / 1073741824.0, free / 1073741824.0,
                    (long) Math.ceil((need + (rt.totalMemory() - rt.freeMemory())) / 1073741824.0) + 1));
        }
    }
}
