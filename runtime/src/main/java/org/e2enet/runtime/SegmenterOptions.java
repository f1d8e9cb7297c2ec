package org.e2enet.runtime;

/**
 * How to segment. Start from {@link #defaults()} (nnU-Net's settings) and change what differs:
 * {@code SegmenterOptions.defaults().withMirroring(Mirroring.ALL_FLIPS).withBatch(4)}.
 *
 * @param step sliding-window step as a fraction of the tile (nnU-Net: 0.5)
 * @param mirroring test-time augmentation
 * @param batch tiles per network call
 * @param outputs what a segmentation returns
 */
public record SegmenterOptions(double step, Mirroring mirroring, int batch, Outputs outputs) {
    /** Test-time augmentation by mirroring. */
    public enum Mirroring {
        /** one pass. */
        NONE,
        /** all 8 combinations of flips along D, H and W, averaged. */
        ALL_FLIPS
    }

    /** What a segmentation returns. */
    public enum Outputs {
        /** the label map. */
        LABELS,
        /** the label map and class probabilities on the input grid (costs classes x voxels floats). */
        LABELS_AND_PROBABILITIES
    }

    /** Validates. */
    public SegmenterOptions {
        if (!(step > 0 && step <= 1)) {
            throw new IllegalArgumentException("step must be in (0, 1], got " + step);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1");
        }
        if (mirroring == null || outputs == null) {
            throw new IllegalArgumentException("mirroring and outputs must be given");
        }
    }

    /** nnU-Net's defaults: step 0.5, no mirroring, 1 tile per call, labels only. */
    public static SegmenterOptions defaults() {
        return new SegmenterOptions(0.5, Mirroring.NONE, 1, Outputs.LABELS);
    }

    /** With another step. */
    public SegmenterOptions withStep(double newStep) {
        return new SegmenterOptions(newStep, mirroring, batch, outputs);
    }

    /** With other mirroring. */
    public SegmenterOptions withMirroring(Mirroring newMirroring) {
        return new SegmenterOptions(step, newMirroring, batch, outputs);
    }

    /** With another tile batch. */
    public SegmenterOptions withBatch(int newBatch) {
        return new SegmenterOptions(step, mirroring, newBatch, outputs);
    }

    /** With other outputs. */
    public SegmenterOptions withOutputs(Outputs newOutputs) {
        return new SegmenterOptions(step, mirroring, batch, newOutputs);
    }

    /** Whether probabilities are returned. */
    public boolean probabilities() {
        return outputs == Outputs.LABELS_AND_PROBABILITIES;
    }
}
