package org.e2enet.runtime.parity;

import java.util.List;
import java.util.Locale;
import org.e2enet.core.metrics.ConfusionCounts;

/** Voxel-by-voxel comparison of two label maps (the training model's and the runtime's): agreement and Dice per class. */
final class LabelAgreement {
    private final ConfusionCounts counts;

    LabelAgreement(int classes) {
        counts = new ConfusionCounts(classes);
    }

    /** Counts one voxel labelled {@code reference} by the training model and {@code predicted} by the runtime. */
    void add(int reference, int predicted) {
        counts.add(reference, predicted);
    }

    /** Fraction of voxels with the same label. */
    double agreement() {
        return counts.agreement();
    }

    /** Dice per foreground class (index 0 = class 1; NaN when the class is absent from both). */
    double[] dice() {
        return counts.foregroundDice();
    }

    /** Adds the failures under {@code t} (agreement, Dice between the predictions) to {@code failures}, each prefixed by {@code what}. */
    void check(String what, List<String> failures, ParityTolerance t) {
        if (agreement() < t.minAgreement()) {
            failures.add(String.format(Locale.ROOT, "%s: argmax agreement %.5f < %s", what, agreement(), t.minAgreement()));
        }
        double[] d = dice();
        if (!t.perClass()) {
            double mean = meanDice();
            if (mean < t.minDice()) {
                failures.add(String.format(Locale.ROOT, "%s: mean Dice between the two predictions %.4f < %s", what, mean, t.minDice()));
            }
            return;
        }
        for (int c = 0; c < d.length; c++) {
            if (!Double.isNaN(d[c]) && d[c] < t.minDice()) {
                failures.add(String.format(Locale.ROOT, "%s: Dice of class %d between the two predictions %.4f < %s", what, c + 1, d[c],
                        t.minDice()));
            }
        }
    }

    /** Mean of the per-class Dice over the classes present in either prediction (1 when none is). */
    double meanDice() {
        return counts.meanForegroundDice();
    }
}
