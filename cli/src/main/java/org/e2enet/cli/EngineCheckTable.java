package org.e2enet.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.e2enet.core.check.EngineCheckReport;
import org.e2enet.core.check.OpResult;

/** Engine checks side by side: a row per operation, a column per engine configuration, each cell its worst result. */
final class EngineCheckTable {
    private EngineCheckTable() {
    }

    /** Prints a title, the columns' one-line summaries, then the table. */
    static void print(PrintWriter o, String title, List<String> columns, List<EngineCheckReport> reports) {
        o.println(title);
        for (EngineCheckReport r : reports) {
            o.println("  " + r.summary());
        }
        Map<String, OpResult[]> rows = new LinkedHashMap<>();
        for (int c = 0; c < reports.size(); c++) {
            for (OpResult r : reports.get(c).worstPerOperation()) {
                rows.computeIfAbsent(r.op().label(), k -> new OpResult[reports.size()])[c] = r;
            }
        }
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-34s", "operation (max relative error)"));
        for (String c : columns) {
            head.append(String.format(Locale.ROOT, " %-34s", c));
        }
        o.println(head.toString().stripTrailing());
        for (Map.Entry<String, OpResult[]> row : rows.entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-34s", row.getKey()));
            for (OpResult r : row.getValue()) {
                line.append(String.format(Locale.ROOT, " %-34s", cell(r)));
            }
            o.println(line.toString().stripTrailing());
        }
    }

    /** {@code 3.1e-07}, or {@code WRONG 0.32, 32 NaN (input gradient)}. */
    static String cell(OpResult r) {
        if (r == null) {
            return "-";
        }
        String err = String.format(Locale.ROOT, "%.1e", r.maxRelError());
        if (r.passed()) {
            return err;
        }
        return "WRONG " + err + (r.nanCount() > 0 ? ", " + r.nanCount() + " NaN" : "") + " (" + r.quantity().label() + ")";
    }

    /** The JSON form of a report: engine, passed, seconds, and per operation its worst quantity, error and NaN count. */
    static Map<String, Object> json(EngineCheckReport r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engine", r.engine());
        out.put("passed", r.passed());
        out.put("seconds", r.seconds());
        List<Map<String, Object>> ops = new java.util.ArrayList<>();
        for (OpResult w : r.worstPerOperation()) {
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("operation", w.op().label());
            op.put("worst", w.quantity().label());
            op.put("maxRelativeError", Double.isFinite(w.maxRelError()) ? w.maxRelError() : null);
            op.put("nanCount", w.nanCount());
            op.put("passed", w.passed());
            ops.add(op);
        }
        out.put("operations", ops);
        return out;
    }
}
