package org.e2enet.core.check;

import java.util.Locale;

/**
 * How an engine computed one quantity of one operation over repeated identical runs.
 *
 * @param op the operation and shape
 * @param quantity the output or gradient compared
 * @param maxRelError max |engine - reference| / max |reference| over the runs' finite values (infinite when none is finite)
 * @param nanCount non-finite values over all runs
 * @param wrongRuns runs whose error passed {@link EngineCheck#TOLERANCE} or held a non-finite value
 * @param runs runs made
 */
public record OpResult(OpCase op, Quantity quantity, double maxRelError, long nanCount, int wrongRuns, int runs) {
    /** Whether every run computed what the reference computes, to float32 tolerance. */
    public boolean passed() {
        return wrongRuns == 0;
    }

    /** One line: {@code conv 8->8 k1x3x3 s1x1x1 input gradient: max relative error 0.52, 40 NaN, wrong in 3 of 3 runs}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s %s: max relative error %.2g%s%s", op.label(), quantity.label(), maxRelError,
                nanCount == 0 ? "" : ", " + nanCount + " NaN", passed() ? "" : ", wrong in " + wrongRuns + " of " + runs + " runs");
    }
}
