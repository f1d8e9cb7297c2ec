package org.e2enet.core.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an engine check found: every (operation, quantity) compared, worst run first within each.
 *
 * @param engine the engine checked, in words
 * @param results one per operation and quantity, in the order checked
 * @param seconds how long the check took
 */
public record EngineCheckReport(String engine, List<OpResult> results, double seconds) {
    /** Copies the list. */
    public EngineCheckReport {
        results = List.copyOf(results);
    }

    /** Whether every result passed. */
    public boolean passed() {
        return failures().isEmpty();
    }

    /** The results that failed, in the order checked. */
    public List<OpResult> failures() {
        List<OpResult> out = new ArrayList<>();
        for (OpResult r : results) {
            if (!r.passed()) {
                out.add(r);
            }
        }
        return out;
    }

    /** The worst result of each operation (by error, non-finite values worst), in the order checked. */
    public List<OpResult> worstPerOperation() {
        Map<String, OpResult> worst = new LinkedHashMap<>();
        for (OpResult r : results) {
            worst.merge(r.op().label(), r, (a, b) -> badness(b) > badness(a) ? b : a);
        }
        return List.copyOf(worst.values());
    }

    private static double badness(OpResult r) {
        return r.nanCount() > 0 ? Double.POSITIVE_INFINITY : r.maxRelError();
    }

    /** The largest relative error over every result. */
    public double maxRelError() {
        double m = 0;
        for (OpResult r : results) {
            m = Math.max(m, r.maxRelError());
        }
        return m;
    }

    /** One line: passed with the largest error, or the first failure and how many more. */
    public String summary() {
        List<OpResult> f = failures();
        if (f.isEmpty()) {
            return String.format(Locale.ROOT, "%s: %d checks of %d operations passed (max relative error %.1e, %.1f s)", engine,
                    results.size(), worstPerOperation().size(), maxRelError(), seconds);
        }
        return String.format(Locale.ROOT, "%s computes wrong numbers: %s%s", engine, f.get(0).describe(),
                f.size() == 1 ? "" : " (and " + (f.size() - 1) + " more of " + results.size() + " checks)");
    }
}
