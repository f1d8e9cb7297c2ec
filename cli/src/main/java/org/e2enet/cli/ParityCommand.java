package org.e2enet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.parity.ParityCheck;
import org.e2enet.runtime.parity.ParityReport;
import org.e2enet.runtime.parity.VolumeParity;
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
            "  e2enet parity --model models/tiny --onnx models/tiny.onnx --junit parity-report.xml",
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

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the checks as a JUnit XML report (a test case a check, "
            + "a failure's message its figures), which CI systems display.")
    Path junit;

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
        List<ParityTable.Row> rows = ParityTable.of(r, volumes);
        if (junit != null) {
            AtomicFiles.writeString(junit, ParityTable.junit("e2enet parity " + onnx.getFileName() + " on " + b, rows));
        }
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
            ParityTable.print(o, rows);
            o.printf(Locale.ROOT, "parity %s on %d golden patch(es)%s, backend %s, %s model, %s tolerances%n", passed ? "PASSED" : "FAILED",
                    r.fixtures(), volumes == null ? "" : " and " + volumes.cases().size() + " validation volume(s) " + volumes.cases(), b,
                    r.precision(), r.tolerance().name());
        }
        o.flush();
        return passed ? 0 : E2eNetCommand.CHECK_FAILED;
    }
}
