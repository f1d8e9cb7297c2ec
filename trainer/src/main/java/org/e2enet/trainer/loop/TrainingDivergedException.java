package org.e2enet.trainer.loop;

/**
 * The training loss stopped being finite. The bundle on disk still holds the last complete epoch; the command line
 * reports this as a failed check, not as an internal error. The message says which cause the engine check, run
 * again after the divergence, points to: the engine computing wrong numbers here, or the optimisation.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final double loss;

    /** A divergence with this loss value, cause not yet known. */
    public TrainingDivergedException(double loss) {
        this(loss, "try a lower learning rate");
    }

    /** A divergence with this loss value and what the engine check, run again, says of its cause. */
    public TrainingDivergedException(double loss, String diagnosis) {
        super("training diverged: loss is " + loss + " (" + diagnosis + "; the bundle keeps the last complete epoch)");
        this.loss = loss;
    }

    /** The loss value that was not finite. */
    public double loss() {
        return loss;
    }
}
