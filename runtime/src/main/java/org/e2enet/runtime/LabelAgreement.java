package org.e2enet.runtime;

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

    /** Adds DESIGN.md's failures (agreement below 99.99%, a class's Dice below 0.999) to {@code failures}, each prefixed by {@code what}. */
    void check(String what, List<String> failures) {
        if (agreement() < 0.9999) {
            failures.add(String.format(Locale.ROOT, "%s: argmax agreement %.5f < 0.9999", what, agreement()));
        }
        double[] d = dice();
        for (int c = 0; c < d.length; c++) {
            if (!Double.isNaN(d[c]) && d[c] < 0.999) {
                failures.add(String.format(Locale.ROOT, "%s: Dice of class %d between the two predictions %.4f < 0.999", what, c + 1, d[c]));
            }
        }
    }
}
