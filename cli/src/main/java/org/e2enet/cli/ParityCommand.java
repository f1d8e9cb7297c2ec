package org.e2enet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.metrics.ConfusionCounts;
import org.e2enet.core.onnx.WeightIdentity;
import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.ParityCheck;
import org.e2enet.runtime.ParityReport;
import org.e2enet.runtime.ParityTolerance;
import org.e2enet.runtime.VolumeParity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet parity}: proves the exported model is the trained one. */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Check that every stored value of the exported model is, bit for bit, what was exported from the bundle "
                + "(SHA-256 of each initializer and of the bundle tensors it came from), then run the exported model on the "
                + "bundle's golden inputs and compare with the training model's logits "
                + "(max |diff| <= 1e-3 m, mean <= 1e-5 m, m = max(1, max |golden|); argmax agreement >= 99.99%%; Dice between "
                + "the two predictions >= 0.999 per class) and check the graph's FLOPs against the export report (1%%). With "
                + "--dataset, also preprocess the bundle's validation volumes from the raw images, segment them with the "
                + "sliding window and compare with the training model's segmentation kept in the bundle (agreement >= 99.99%%, "
                + "Dice >= 0.999 per class). A calibrated INT8/FP16 model is held to the reduced-precision tolerances instead: no logit "
                + "limits, argmax agreement >= 99%%, mean Dice between the predictions >= 0.95 (its Dice against the ground truth was "
                + "gated by 'e2enet calibrate'); its weight identity is checked through the FP32 source's digests it carries. "
                + "Exit code 1 when a check fails.",
        footer = {"", "Examples:",
            "  e2enet parity --model models/tiny --onnx models/tiny.onnx",
            "  e2enet parity --model models/tiny --onnx models/tiny.onnx --dataset data/Dataset001 --json"})
final class ParityCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "The model bundle (with golden.safetensors).")
    Path model;

    @Option(names = "--onnx", required = true, description = "The exported model.")
    Path onnx;

    @CommandLine.Mixin
    BackendMixin backend;

    @Option(names = "--dataset", description = "The raw dataset the model was trained on: also check whole validation volumes.")
    Path dataset;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws Exception {
        ModelBundle bundle = ModelBundle.read(model);
        ParityReport r;
        VolumeParity.Report volumes;
        String b;
        try (OnnxModel m = OnnxModel.open(onnx, backend.backend, backend.options(1))) {
            r = ParityCheck.run(bundle, onnx, m);
            volumes = dataset == null ? null : VolumeParity.run(bundle, m, dataset);
            b = m.backend().label();
        }
        boolean passed = r.passed() && (volumes == null || volumes.passed());
        PrintWriter o = cmd.commandLine().getOut();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("backend", b);
            out.put("passed", passed);
            out.put("report", r);
            if (volumes != null) {
                out.put("volumes", volumes);
            }
            o.println(Json.write(out));
        } else {
            o.printf(Locale.ROOT, "%-34s %-14s %-16s %s%n", "check", "value", "limit", "result");
            WeightIdentity id = r.identity();
            o.printf(Locale.ROOT, "%-34s %-14s %-16s %s%n", "weight identity (SHA-256)", id.tensors() + "+" + id.bundleTensors(), "all equal",
                    id.passed() ? "ok" : "FAIL");
            id.failures().forEach(f -> o.println("  " + f));
            ParityTolerance t = r.tolerance();
            if (t.logits()) {
                row(o, "max |logits - golden|", r.maxAbsDiff(), 1e-3 * r.scale(), r.maxAbsDiff() <= 1e-3 * r.scale());
                row(o, "mean |logits - golden|", r.meanAbsDiff(), 1e-5 * r.scale(), r.meanAbsDiff() <= 1e-5 * r.scale());
            } else {
                o.printf(Locale.ROOT, "%-34s %-14.3g %-16s %s%n", "max |logits - golden|", r.maxAbsDiff(), "-", "not a check under the " + t.name() + " rules");
                o.printf(Locale.ROOT, "%-34s %-14.3g %-16s %s%n", "mean |logits - golden|", r.meanAbsDiff(), "-", "not a check under the " + t.name() + " rules");
            }
            agreementRows(o, "", r.argmaxAgreement(), r.dicePerClass(), t);
            o.printf(Locale.ROOT, "%-34s %-14d %-16s %s%n", "graph true FLOPs", r.graphTrueFlops(),
                    r.flopsCheckNotRun() == null ? "report " + r.expectedTrueFlops() : "(no report)",
                    r.flopsCheckNotRun() != null ? r.flopsCheckNotRun() : r.failures().stream().anyMatch(f -> f.contains("FLOPs")) ? "FAIL" : "ok");
            if (volumes != null) {
                agreementRows(o, "volume ", volumes.agreement(), volumes.dicePerClass(), t);
            }
            o.printf(Locale.ROOT, "parity %s on %d golden patch(es)%s, backend %s, %s model, %s tolerances%n", passed ? "PASSED" : "FAILED",
                    r.fixtures(), volumes == null ? "" : " and " + volumes.cases().size() + " validation volume(s) " + volumes.cases(), b,
                    r.precision(), t.name());
        }
        o.flush();
        return passed ? 0 : E2eNetCommand.CHECK_FAILED;
    }

    /** The agreement and per-class Dice rows between the two predictions, under {@code t}. */
    private static void agreementRows(PrintWriter o, String prefix, double agreement, double[] dice, ParityTolerance t) {
        o.printf(Locale.ROOT, "%-34s %-14.6f %-16s %s%n", prefix + "label agreement", agreement, ">= " + t.minAgreement(),
                agreement >= t.minAgreement() ? "ok" : "FAIL");
        for (int c = 0; c < dice.length; c++) {
            boolean absent = Double.isNaN(dice[c]);
            o.printf(Locale.ROOT, "%-34s %-14.6f %-16s %s%n", prefix + "Dice of class " + (c + 1), dice[c], t.perClass() ? ">= " + t.minDice() : "-",
                    absent ? "absent" : !t.perClass() ? "" : dice[c] >= t.minDice() ? "ok" : "FAIL");
        }
        if (!t.perClass()) {
            double mean = ConfusionCounts.meanPresent(dice);
            o.printf(Locale.ROOT, "%-34s %-14.6f %-16s %s%n", prefix + "mean Dice over classes", mean, ">= " + t.minDice(),
                    mean >= t.minDice() ? "ok" : "FAIL");
        }
    }

    private static void row(PrintWriter o, String name, double value, double limit, boolean ok) {
        o.printf(Locale.ROOT, "%-34s %-14.3g %-16.3g %s%n", name, value, limit, ok ? "ok" : "FAIL");
    }
}
