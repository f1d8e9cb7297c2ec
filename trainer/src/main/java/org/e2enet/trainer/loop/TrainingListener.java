package org.e2enet.trainer.loop;

import java.util.List;
import org.e2enet.trainer.dsff.TopologyUpdate;

/** What a training run reports while it runs (the command line renders it). */
public interface TrainingListener {
    /** A line of information. */
    default void message(String text) {
    }

    /** An epoch begins. */
    default void epochStarted(int epoch, int epochs, int iterations) {
    }

    /** An iteration ended with this loss. */
    default void iterationDone(int iteration, double loss) {
    }

    /** An epoch ended. */
    default void epochDone(EpochRecord record) {
    }

    /**
     * Asked after each epoch's validation: true makes this epoch the last (a time budget ran out); the bundle
     * is then written with its golden fixtures as at a normal end.
     */
    default boolean stopAfter(EpochRecord record) {
        return false;
    }

    /**
     * Asked once, after the first epoch of a fresh run: how many epochs the whole run should have, at most {@code epochs}.
     * Fewer shorten the learning-rate and DSFF schedules to that length, so that a run a time budget would otherwise cut
     * (see {@link #stopAfter}) still anneals its learning rate and ends its topology updates in time. The trainer keeps
     * {@code epochs} when its first epoch already held a topology update of either schedule.
     */
    default int plannedEpochs(EpochRecord first, int epochs) {
        return epochs;
    }

    /** A DSFF topology update happened at global iteration {@code iteration}. */
    default void topologyUpdated(long iteration, double deathRate, List<TopologyUpdate> updates) {
    }

    /**
     * With {@link TrainingConfig#probeUpdates}: the validation pseudo-Dice per foreground class right before and right
     * after the topology update at global iteration {@code iteration}.
     */
    default void updateProbed(long iteration, double[] diceBefore, double[] diceAfter) {
    }
}
