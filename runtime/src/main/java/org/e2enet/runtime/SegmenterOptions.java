package org.e2enet.runtime;

import java.util.Locale;
import java.util.Objects;

/**
 * How to segment. Start from {@link #defaults()} (nnU-Net's settings) and change what differs:
 * {@code SegmenterOptions.builder().mirroring(Mirroring.ALL_FLIPS).batch(4).build()}. Immutable; new settings get
 * new builder methods with defaults, so callers keep compiling.
 */
public final class SegmenterOptions {
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

    /** The share of the JVM's maximum heap that concurrent cases may take by default. */
    static final double DEFAULT_BUDGET_SHARE = 0.75;

    private final double step;
    private final Mirroring mirroring;
    private final int batch;
    private final Outputs outputs;
    private final long memoryBudget;

    private SegmenterOptions(Builder b) {
        this.step = b.step;
        this.mirroring = b.mirroring;
        this.batch = b.batch;
        this.outputs = b.outputs;
        this.memoryBudget = b.memoryBudget > 0 ? b.memoryBudget : (long) (Runtime.getRuntime().maxMemory() * DEFAULT_BUDGET_SHARE);
    }

    /** @return nnU-Net's defaults: step 0.5, no mirroring, 1 tile per call, labels only, 3/4 of the heap for cases */
    public static SegmenterOptions defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.step = step;
        b.mirroring = mirroring;
        b.batch = batch;
        b.outputs = outputs;
        b.memoryBudget = memoryBudget;
        return b;
    }

    /** @return the sliding window's step as a fraction of the tile (nnU-Net: 0.5) */
    public double step() {
        return step;
    }

    /** @return the test-time augmentation */
    public Mirroring mirroring() {
        return mirroring;
    }

    /** @return tiles per network call */
    public int batch() {
        return batch;
    }

    /** @return what a segmentation returns */
    public Outputs outputs() {
        return outputs;
    }

    /** @return whether probabilities are returned */
    public boolean probabilities() {
        return outputs == Outputs.LABELS_AND_PROBABILITIES;
    }

    /**
     * @return the bytes of heap that the cases a segmenter runs at once may need together, by their estimates; more
     *     wait their turn
     */
    public long memoryBudget() {
        return memoryBudget;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmenterOptions x && x.step == step && x.mirroring == mirroring && x.batch == batch && x.outputs == outputs
                && x.memoryBudget == memoryBudget;
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, mirroring, batch, outputs, memoryBudget);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "step %.3g, mirroring %s, batch %d, outputs %s, memory budget %.2f GiB", step, mirroring, batch,
                outputs, memoryBudget / 1073741824.0);
    }

    /** Builds {@link SegmenterOptions}; each setter checks its value. */
    public static final class Builder {
        private double step = 0.5;
        private Mirroring mirroring = Mirroring.NONE;
        private int batch = 1;
        private Outputs outputs = Outputs.LABELS;
        private long memoryBudget;

        private Builder() {
        }

        /**
         * @param value the tile step as a fraction of the tile, in (0, 1]
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder step(double value) {
            if (!(value > 0 && value <= 1)) {
                throw new IllegalArgumentException("step must be in (0, 1], got " + value);
            }
            step = value;
            return this;
        }

        /**
         * @param value the test-time augmentation
         * @return this builder
         */
        public Builder mirroring(Mirroring value) {
            mirroring = Objects.requireNonNull(value, "mirroring");
            return this;
        }

        /**
         * @param value tiles per network call, at least 1
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder batch(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("batch must be >= 1, got " + value);
            }
            batch = value;
            return this;
        }

        /**
         * @param value what a segmentation returns
         * @return this builder
         */
        public Builder outputs(Outputs value) {
            outputs = Objects.requireNonNull(value, "outputs");
            return this;
        }

        /**
         * @param bytes the heap the cases running at once may need together (default: 3/4 of the JVM's maximum heap)
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder memoryBudget(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memory budget must be positive, got " + bytes);
            }
            memoryBudget = bytes;
            return this;
        }

        /** @return the options */
        public SegmenterOptions build() {
            return new SegmenterOptions(this);
        }
    }
}
