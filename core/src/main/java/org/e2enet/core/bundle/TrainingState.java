package org.e2enet.core.bundle;

/**
 * The {@code training} section of a bundle's manifest (docs/architecture.md#model-bundle): how far the run got and the settings it
 * ran with, which {@code --resume} checks and continues.
 *
 * @param epochsDone complete epochs (the bundle holds their weights)
 * @param epochs epochs the run was set to
 * @param iteration iterations done ({@code epochsDone * itersPerEpoch})
 * @param totalIterations iterations of the whole run
 * @param itersPerEpoch iterations per epoch
 * @param batchSize patches per iteration
 * @param seed the run's seed
 * @param fold the validation fold
 * @param optimizer the optimizer's settings
 * @param dataset the (preprocessed) dataset it trained on
 */
public record TrainingState(int epochsDone, int epochs, long iteration, long totalIterations, int itersPerEpoch, int batchSize,
                            long seed, int fold, Optimizer optimizer, String dataset) {
    /**
     * The optimizer's settings.
     *
     * @param type always "sgd-nesterov"
     * @param learningRate initial learning rate
     * @param momentum Nesterov momentum
     * @param weightDecay weight decay
     * @param clipNorm gradient-norm cap
     */
    public record Optimizer(String type, double learningRate, double momentum, double weightDecay, double clipNorm) {
        /** The optimizer type the trainer writes. */
        public static final String SGD_NESTEROV = "sgd-nesterov";
    }
}
