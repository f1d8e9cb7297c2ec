package org.e2enet.trainer.loop;

import java.nio.file.Path;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.trainer.nn.ConvMode;

/**
 * Everything a training run needs. Build it with {@link #builder()}: the dataset, output and spec are
 * required, everything else defaults to nnU-Net's recipe (docs/network.md#optimiser), held in this one place.
 *
 * @param dataset raw nnU-Net dataset or the output of {@code e2enet preprocess}
 * @param out the model bundle directory
 * @param spec the network (input channels and classes are taken from the dataset)
 * @param epochs epochs
 * @param itersPerEpoch iterations per epoch
 * @param batchSize patches per iteration
 * @param learningRate initial learning rate (poly decay, exponent 0.9)
 * @param momentum Nesterov momentum
 * @param weightDecay weight decay
 * @param clipNorm gradient-norm cap
 * @param fold validation fold 0..4 of a 5-fold split
 * @param seed seed of everything random
 * @param resume continue the bundle in {@code out}
 * @param convMode how (1,3,3) convolutions run ({@link ConvMode#AUTO}, the default: the first mode the engine check finds right)
 * @param validationIters validation batches per epoch
 * @param goldenPatches parity fixtures written at the end
 * @param augment whether to augment
 * @param device where to train
 * @param probeUpdates measure the validation pseudo-Dice right before and right after every DSFF topology update
 *     (a diagnostic: {@link TrainingListener#updateProbed}; it costs two validations per update and leaves training unchanged up
 *     to float rounding)
 */
public record TrainingConfig(Path dataset, Path out, ModelSpec spec, int epochs, int itersPerEpoch, int batchSize,
                             double learningRate, double momentum, double weightDecay, double clipNorm, int fold, long seed,
                             boolean resume, ConvMode convMode, int validationIters, int goldenPatches, boolean augment,
                             TrainingDevice device, boolean probeUpdates) {
    /** Validates the numbers. */
    public TrainingConfig {
        if (dataset == null || out == null || spec == null) {
            throw new IllegalArgumentException("a training run needs a dataset, an output bundle and a spec");
        }
        if (epochs < 1 || itersPerEpoch < 1 || batchSize < 1) {
            throw new IllegalArgumentException("epochs, iterations per epoch and batch size must be >= 1");
        }
        if (fold < 0 || fold > 4) {
            throw new IllegalArgumentException("--fold must be 0..4 (5-fold cross-validation), got " + fold);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive");
        }
        if (validationIters < 1 || goldenPatches < 0) {
            throw new IllegalArgumentException("validation iterations must be >= 1 and golden patches >= 0");
        }
    }

    /** A builder with nnU-Net's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Total iterations. */
    public long totalIterations() {
        return (long) epochs * itersPerEpoch;
    }

    /** This run with {@code value} epochs: the learning-rate and DSFF schedules span that many. */
    public TrainingConfig withEpochs(int value) {
        return new TrainingConfig(dataset, out, spec, value, itersPerEpoch, batchSize, learningRate, momentum, weightDecay, clipNorm,
                fold, seed, resume, convMode, validationIters, goldenPatches, augment, device, probeUpdates);
    }

    /** Poly learning rate at the start of {@code epoch}. */
    public double learningRateAt(int epoch) {
        return learningRate * Math.pow(1 - (double) epoch / epochs, 0.9);
    }

    /** Builds a {@link TrainingConfig}: {@code set*} for the required parts, {@code opt*} to change a default. */
    public static final class Builder {
        private Path dataset;
        private Path out;
        private ModelSpec spec;
        private int epochs = 1000;
        private int itersPerEpoch = 250;
        private int batchSize = 2;
        private double learningRate = 0.01;
        private double momentum = 0.99;
        private double weightDecay = 3e-5;
        private double clipNorm = 12;
        private int fold;
        private long seed;
        private boolean resume;
        private ConvMode convMode = ConvMode.AUTO;
        private int validationIters = 10;
        private int goldenPatches = 2;
        private boolean augment = true;
        private boolean probeUpdates;
        private TrainingDevice device = TrainingDevice.CPU;

        private Builder() {
        }

        /** The dataset (required). */
        public Builder setDataset(Path value) {
            dataset = value;
            return this;
        }

        /** The bundle to write (required). */
        public Builder setOut(Path value) {
            out = value;
            return this;
        }

        /** The network (required). */
        public Builder setSpec(ModelSpec value) {
            spec = value;
            return this;
        }

        /** Epochs (default 1000). */
        public Builder optEpochs(int value) {
            epochs = value;
            return this;
        }

        /** Iterations per epoch (default 250). */
        public Builder optItersPerEpoch(int value) {
            itersPerEpoch = value;
            return this;
        }

        /** Patches per iteration (default 2). */
        public Builder optBatchSize(int value) {
            batchSize = value;
            return this;
        }

        /** Initial learning rate (default 0.01). */
        public Builder optLearningRate(double value) {
            learningRate = value;
            return this;
        }

        /** Nesterov momentum (default 0.99). */
        public Builder optMomentum(double value) {
            momentum = value;
            return this;
        }

        /** Weight decay (default 3e-5). */
        public Builder optWeightDecay(double value) {
            weightDecay = value;
            return this;
        }

        /** Gradient-norm cap (default 12). */
        public Builder optClipNorm(double value) {
            clipNorm = value;
            return this;
        }

        /** Validation fold 0..4 (default 0). */
        public Builder optFold(int value) {
            fold = value;
            return this;
        }

        /** Seed (default 0). */
        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        /** Continue the bundle in the output directory (default: a fresh run). */
        public Builder optResume(boolean value) {
            resume = value;
            return this;
        }

        /** How (1,3,3) convolutions run (default conv3d, measured faster on CPU). */
        public Builder optConvMode(ConvMode value) {
            convMode = value;
            return this;
        }

        /** Validation batches per epoch (default 10). */
        public Builder optValidationIters(int value) {
            validationIters = value;
            return this;
        }

        /** Golden parity patches written at the end (default 2). */
        public Builder optGoldenPatches(int value) {
            goldenPatches = value;
            return this;
        }

        /** Data augmentation (default on). */
        public Builder optAugment(boolean value) {
            augment = value;
            return this;
        }

        /** Where to train (default the CPU). */
        public Builder optDevice(TrainingDevice value) {
            device = value;
            return this;
        }

        /** Validate right before and right after every topology update (default off). */
        public Builder optProbeUpdates(boolean value) {
            probeUpdates = value;
            return this;
        }

        /** The validated configuration. */
        public TrainingConfig build() {
            return new TrainingConfig(dataset, out, spec, epochs, itersPerEpoch, batchSize, learningRate, momentum, weightDecay,
                    clipNorm, fold, seed, resume, convMode, validationIters, goldenPatches, augment, device, probeUpdates);
        }
    }
}
