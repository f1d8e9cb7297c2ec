package org.e2enet.trainer.loop;

/**
 * The training loss stopped being finite. The bundle on disk still holds the last complete epoch; the command line
 * reports this as a failed check, not as an internal error.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A divergence with this loss value. */
    public TrainingDivergedException(double loss) {
        super("training diverged: loss is " + loss + " (try a lower learning rate; the bundle keeps the last complete epoch)");
    }
}
