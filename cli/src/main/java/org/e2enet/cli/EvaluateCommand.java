package org.e2enet.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.e2enet.core.dataset.DatasetDescriptor;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.CsvTable;
import org.e2enet.core.metrics.CaseEvaluation;
import org.e2enet.core.metrics.ClassMetrics;
import org.e2enet.core.metrics.EvaluationReport;
import org.e2enet.core.metrics.Evaluator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet evaluate}: Dice, NSD and HD95 of predictions against references. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Compare predicted label maps with references (files matched by name): Dice, normalised surface "
                + "Dice at a tolerance in mm and HD95 per case and class. Writes evaluation.json and evaluation.csv.",
        footer = {"", "Examples:",
            "  e2enet evaluate --pred predictions/ --ref data/phantoms/labelsTs",
            "  e2enet evaluate --pred out/ --ref labelsTs --dataset-json data/phantoms/dataset.json --tolerance 2 --json"})
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--pred", required = true, description = "Directory of predicted label maps.")
    Path pred;

    @Option(names = "--ref", required = true, description = "Directory of reference label maps.")
    Path ref;

    @Option(names = "--dataset-json", description = "dataset.json naming the labels (default: ../dataset.json of --ref if present).")
    Path datasetJson;

    @Option(names = "--tolerance", defaultValue = "1.0", description = "NSD tolerance in mm. Default: ${DEFAULT-VALUE}.")
    double tolerance;

    @Option(names = "--out", description = "Where to write evaluation.json/.csv. Default: the --pred directory.")
    Path out;

    @Option(names = "--json", description = "Print the report as JSON instead of a table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws Exception {
        List<String> names = classNames();
        EvaluationReport r = Evaluator.evaluate(pred, ref, names, tolerance, new ConsoleProgress());
        Path dir = out != null ? out : pred;
        AtomicFiles.writeString(dir.resolve("evaluation.json"), Json.write(r) + "\n");
        csv(r).write(dir.resolve("evaluation.csv"));
        PrintWriter o = cmd.commandLine().getOut();
        if (json) {
            o.println(Json.write(r));
        } else {
            o.printf(Locale.ROOT, "%-24s %-16s %8s %8s %9s%n", "case", "class", "Dice", "NSD", "HD95 mm");
            for (CaseEvaluation c : r.cases()) {
                for (ClassMetrics m : c.classes()) {
                    o.printf(Locale.ROOT, "%-24s %-16s %8.4f %8.4f %9.2f%n", c.caseId(), names.get(m.label()), m.dice(), m.nsd(), m.hd95());
                }
            }
            for (int k = 1; k < names.size(); k++) {
                o.printf(Locale.ROOT, "%-24s %-16s %8.4f %8.4f %9.2f%n", "mean", names.get(k), r.meanDicePerClass()[k - 1],
                        r.meanNsdPerClass()[k - 1], r.meanHd95PerClass()[k - 1]);
            }
            o.printf(Locale.ROOT, "mean Dice %.4f, mean NSD (tolerance %.2g mm) %.4f over %d case(s); wrote %s%n", r.meanDice(),
                    tolerance, r.meanNsd(), r.cases().size(), dir.resolve("evaluation.json"));
        }
        o.flush();
        return 0;
    }

    private List<String> classNames() {
        Path dj = datasetJson;
        if (dj == null) {
            Path parent = ref.toAbsolutePath().getParent();
            if (parent != null && Files.isRegularFile(parent.resolve("dataset.json"))) {
                dj = parent.resolve("dataset.json");
            }
        }
        if (dj != null) {
            return List.of(DatasetDescriptor.read(dj).classNames());
        }
        int k = Evaluator.classesIn(ref);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            names.add(c == 0 ? "background" : "label" + c);
        }
        return names;
    }

    private static CsvTable csv(EvaluationReport r) {
        List<List<String>> rows = new ArrayList<>();
        for (CaseEvaluation c : r.cases()) {
            for (ClassMetrics m : c.classes()) {
                rows.add(List.of(c.caseId(), String.valueOf(m.label()), r.classNames().get(m.label()),
                        String.format(Locale.ROOT, "%.6f", m.dice()), String.format(Locale.ROOT, "%.6f", m.nsd()),
                        String.format(Locale.ROOT, "%.4f", m.hd95()), String.valueOf(m.referenceVoxels()), String.valueOf(m.predictedVoxels())));
            }
        }
        return new CsvTable(List.of("case", "label", "class", "dice", "nsd", "hd95", "reference_voxels", "predicted_voxels"), rows);
    }
}
