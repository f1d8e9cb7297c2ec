package org.e2enet.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.e2enet.core.metrics.ConfusionCounts;
import org.e2enet.core.onnx.WeightIdentity;
import org.e2enet.runtime.parity.ParityReport;
import org.e2enet.runtime.parity.ParityTolerance;
import org.e2enet.runtime.parity.VolumeParity;

/** The checks of a parity run, a row each, as the text table prints them and as a JUnit XML report carries them. */
final class ParityTable {
    private ParityTable() {
    }

    /**
     * One check.
     *
     * @param check what is checked
     * @param value what was measured
     * @param limit what it is held to ("-" when nothing)
     * @param result "ok", "FAIL", or why it is not a check here ("absent", "not a check under ...", "")
     * @param details lines that explain a failure (the weight digests that differ)
     */
    record Row(String check, String value, String limit, String result, List<String> details) {
        boolean failed() {
            return result.equals("FAIL");
        }
    }

    /** The rows of {@code r} and, when given, of the whole-volume check {@code volumes}. */
    static List<Row> of(ParityReport r, VolumeParity.Report volumes) {
        List<Row> rows = new ArrayList<>();
        WeightIdentity id = r.identity();
        rows.add(new Row("weight identity (SHA-256)", id.tensors() + "+" + id.bundleTensors(), "all equal", id.passed() ? "ok" : "FAIL",
                id.failures()));
        ParityTolerance t = r.tolerance();
        if (t.logits()) {
            rows.add(measured("max |logits - golden|", r.maxAbsDiff(), 1e-3 * r.scale()));
            rows.add(measured("mean |logits - golden|", r.meanAbsDiff(), 1e-5 * r.scale()));
        } else {
            String why = "not a check under the " + t.name() + " rules";
            rows.add(new Row("max |logits - golden|", g(r.maxAbsDiff()), "-", why, List.of()));
            rows.add(new Row("mean |logits - golden|", g(r.meanAbsDiff()), "-", why, List.of()));
        }
        agreement(rows, "", r.argmaxAgreement(), r.dicePerClass(), t);
        rows.add(new Row("graph true FLOPs", String.valueOf(r.graphTrueFlops()),
                r.flopsCheckNotRun() == null ? "report " + r.expectedTrueFlops() : "(no report)",
                r.flopsCheckNotRun() != null ? r.flopsCheckNotRun() : r.failures().stream().anyMatch(f -> f.contains("FLOPs")) ? "FAIL" : "ok",
                List.of()));
        if (volumes != null) {
            agreement(rows, "volume ", volumes.agreement(), volumes.dicePerClass(), t);
        }
        return rows;
    }

    private static Row measured(String check, double value, double limit) {
        return new Row(check, g(value), g(limit), value <= limit ? "ok" : "FAIL", List.of());
    }

    private static String g(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String f6(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** The agreement and per-class Dice rows between the two predictions, under {@code t}. */
    private static void agreement(List<Row> rows, String prefix, double agreement, double[] dice, ParityTolerance t) {
        rows.add(new Row(prefix + "label agreement", f6(agreement), ">= " + t.minAgreement(), agreement >= t.minAgreement() ? "ok" : "FAIL",
                List.of()));
        for (int c = 0; c < dice.length; c++) {
            boolean absent = Double.isNaN(dice[c]);
            rows.add(new Row(prefix + "Dice of class " + (c + 1), f6(dice[c]), t.perClass() ? ">= " + t.minDice() : "-",
                    absent ? "absent" : !t.perClass() ? "" : dice[c] >= t.minDice() ? "ok" : "FAIL", List.of()));
        }
        if (!t.perClass()) {
            double mean = ConfusionCounts.meanPresent(dice);
            rows.add(new Row(prefix + "mean Dice over classes", f6(mean), ">= " + t.minDice(), mean >= t.minDice() ? "ok" : "FAIL", List.of()));
        }
    }

    /** The text table: a header and a line a row, each failure's details indented under it. */
    static void print(PrintWriter o, List<Row> rows) {
        o.printf(Locale.ROOT, "%-34s %-14s %-16s %s%n", "check", "value", "limit", "result");
        for (Row r : rows) {
            o.printf(Locale.ROOT, "%-34s %-14s %-16s %s%n", r.check(), r.value(), r.limit(), r.result());
            r.details().forEach(d -> o.println("  " + d));
        }
    }

    /**
     * A JUnit XML report (the format CI systems display): suite {@code suite}, a test case a row, a failed row a
     * {@code <failure>} whose message has its figures, a row that is not a check here {@code <skipped>} with why.
     */
    static String junit(String suite, List<Row> rows) {
        long failures = rows.stream().filter(Row::failed).count();
        long skipped = rows.stream().filter(r -> !r.failed() && !r.result().equals("ok")).count();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append(String.format(Locale.ROOT, "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\">%n", xml(suite),
                rows.size(), failures, skipped));
        for (Row r : rows) {
            x.append("  <testcase classname=\"").append(xml(suite)).append("\" name=\"").append(xml(r.check())).append('"');
            String figures = "value " + r.value() + ", limit " + r.limit();
            if (r.failed()) {
                x.append(">\n    <failure message=\"").append(xml(figures)).append("\">").append(xml(String.join("\n", r.details())))
                        .append("</failure>\n  </testcase>\n");
            } else if (!r.result().equals("ok")) {
                x.append(">\n    <skipped message=\"").append(xml(r.result().isEmpty() ? "held to the mean over classes" : r.result()))
                        .append("\"/>\n  </testcase>\n");
            } else {
                x.append("/>\n");
            }
        }
        return x.append("</testsuite>\n").toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
