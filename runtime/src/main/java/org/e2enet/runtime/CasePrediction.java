package org.e2enet.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.InvalidImageException;
import org.e2enet.core.nifti.NiftiWriter;
import org.e2enet.core.preprocess.CaseInput;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.volume.VoxelData;
import org.e2enet.core.volume.VoxelType;

/** Predicts one case from files to files: read, segment, write {@code {case}.nii.gz} (and probabilities), timed. */
public final class CasePrediction {
    private CasePrediction() {
    }

    /**
     * Timings of one case in milliseconds.
     *
     * @param voxels voxels of the input
     * @param tilePathMs the sliding window around the network: tiles copied in, softmax, accumulation, argmax
     * @param postprocessMs the result put back on the input grid
     */
    public record Timing(String id, long voxels, double readMs, double preprocessMs, double networkMs, double tilePathMs,
                         double postprocessMs, double writeMs, int tiles) {
        /**
         * The case's time from reading to writing.
         *
         * @return the sum of the stages, in milliseconds
         */
        public double totalMs() {
            return readMs + preprocessMs + networkMs + tilePathMs + postprocessMs + writeMs;
        }
    }

    /**
     * A case's timings and its label map as written.
     *
     * @param timing where the time went
     * @param labels the segmentation on the input's grid
     */
    public record Outcome(Timing timing, Volume labels) {
    }

    /**
     * Runs one case.
     *
     * @param segmenter the segmenter
     * @param c the case's files
     * @param outDir where {@code {case}.nii.gz} goes
     * @param probabilities also write {@code {case}_probabilities.nii.gz}
     * @return where the time went
     * @throws IOException when an output cannot be written
     * @throws org.e2enet.core.io.InvalidImageException when a channel file cannot be read or used
     * @throws org.e2enet.core.io.BadInputException when the case needs more memory than the JVM's whole heap
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted
     */
    public static Timing run(Segmenter segmenter, CaseFiles c, Path outDir, boolean probabilities) throws IOException {
        return predict(segmenter, c, outDir, probabilities).timing();
    }

    /**
     * Runs one case, writing {@code {case}.nii.gz} (and its probabilities) into {@code outDir} atomically. The case is
     * admitted by its memory estimate from the files' headers before any voxel is read.
     *
     * @param segmenter the segmenter
     * @param c the case's files
     * @param outDir where {@code {case}.nii.gz} goes
     * @param probabilities also write {@code {case}_probabilities.nii.gz}
     * @return the timings and the labels
     * @throws IOException when an output cannot be written
     * @throws org.e2enet.core.io.InvalidImageException when a channel file cannot be read or used
     * @throws org.e2enet.core.io.BadInputException when the case needs more memory than the JVM's whole heap
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted
     */
    public static Outcome predict(Segmenter segmenter, CaseFiles c, Path outDir, boolean probabilities) throws IOException {
        OnnxModel model = segmenter.model();
        long need = CaseMemory.estimate(c, model.plans(), model.classes(), probabilities);
        CaseMemory.refuseBeyondHeap(need, c.id(), c.channels().get(0));
        try (Segmenter.Call call = segmenter.begin(c.id(), need, null)) {
            long t0 = System.nanoTime();
            List<Volume> channels = readChannels(c);
            long t1 = System.nanoTime();
            Segmentation s = call.segment(channels);
            long t2 = System.nanoTime();
            NiftiWriter.standard().write(s.labels(), outDir.resolve(c.id() + ".nii.gz"));
            if (probabilities) {
                List<VoxelData> maps = new ArrayList<>();
                for (float[] p : s.probabilities()) {
                    maps.add(VoxelData.ofFloats(p));
                }
                NiftiWriter.standard().write(new Volume(s.labels().geometry(), maps, 1, 0), outDir.resolve(c.id() + "_probabilities.nii.gz"));
            }
            long t3 = System.nanoTime();
            return new Outcome(new Timing(c.id(), channels.get(0).shape().voxels(), (t1 - t0) / 1e6, s.preprocessMs(), s.networkMs(),
                    s.tilePathMs(), s.postprocessMs(), (t3 - t2) / 1e6, s.tiles()), s.labels());
        }
    }

    /**
     * Reads a case's channel files, refusing 4D files, channels on different grids and label maps passed as images.
     *
     * @param c the case's files
     * @return one volume per channel
     * @throws org.e2enet.core.io.InvalidImageException naming the file that cannot be used
     */
    public static List<Volume> readChannels(CaseFiles c) {
        List<Volume> channels = CaseInput.readChannels(c.channels());
        for (int i = 0; i < channels.size(); i++) {
            refuseLabelMaps(c.channels().get(i), channels.get(i));
        }
        return channels;
    }

    /** An 8-bit image of a handful of small integers is a label map passed by mistake. */
    static void refuseLabelMaps(Path f, Volume v) {
        if (v.type() != VoxelType.UINT8 && v.type() != VoxelType.INT8) {
            return;
        }
        Set<Integer> values = new HashSet<>();
        for (int i = 0; i < v.shape().voxelsInt() && values.size() <= 16; i++) {
            values.add((int) v.value(0, i));
        }
        if (values.size() <= 16) {
            throw new InvalidImageException(f, "looks like a label map (" + values.size() + " distinct 8-bit values), not an image");
        }
    }

    /**
     * Creates {@code dir} and checks it is writable.
     *
     * @param dir the directory the label maps go to
     * @throws BadInputException when it cannot be created or written
     */
    public static void prepareOutput(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw BadInputException.of(dir, "cannot create the output directory (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw BadInputException.of(dir, "output directory is not writable");
        }
    }
}
