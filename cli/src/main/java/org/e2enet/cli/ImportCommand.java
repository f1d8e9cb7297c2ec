package org.e2enet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.e2enet.core.bundle.WeightImport;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.spec.ModelSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet import}: a bundle from weights trained elsewhere (the authors' PyTorch code uses the same names). */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Make a model bundle from a safetensors file of float32 weights named as in docs/network.md#parameter-names "
                + "(the authors' PyTorch state_dict names), the spec they belong to and optionally the plans and DSFF masks. "
                + "Without --masks, "
                + "a sparse spec's masks are read off the weights (a kernel is active when any of its weights is non-zero). "
                + "Unused tensors are listed and left out. The bundle can then be exported; it has no golden fixtures for parity.",
        footer = {"", "Examples:",
            "  e2enet import --weights amos.safetensors --preset amos --sparsity 0.8 --out models/amos",
            "  e2enet import --weights w.safetensors --spec spec.json --plans data/D001_preprocessed/plans.json --out models/m"})
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--weights", required = true, description = "The weights (safetensors, float32).")
    Path weights;

    @CommandLine.Mixin
    SpecOptions specOptions;

    @Option(names = "--plans", description = "plans.json of the preprocessing the weights were trained with (needed to predict).")
    Path plans;

    @Option(names = "--masks", description = "DSFF masks (safetensors, U8 (dim0, dim1) '{weight}.mask').")
    Path masks;

    @Option(names = "--out", required = true, description = "The bundle directory to write.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws Exception {
        ModelSpec spec = specOptions.resolve();
        WeightImport.Result r = WeightImport.run(weights, masks, spec, plans == null ? null : Plans.read(plans), out);
        PrintWriter o = cmd.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s: %d tensors, masks %s, %d params (paper), %.3f G paper FLOPs%n", out, r.tensors(),
                r.masksFromWeights() ? "read off zero kernels" : masks != null ? "from " + masks : "none (dense)", r.accounting().params(),
                r.accounting().paperFlops() / 1e9);
        if (!r.ignored().isEmpty()) {
            o.println("left out " + r.ignored().size() + " tensor(s) the spec does not use: " + r.ignored());
        }
        if (plans == null) {
            o.println("no --plans: the bundle can be exported, but 'e2enet predict' needs the plans of its preprocessing");
        }
        o.flush();
        return 0;
    }
}
