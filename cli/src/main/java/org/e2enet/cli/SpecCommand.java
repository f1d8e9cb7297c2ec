package org.e2enet.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.e2enet.core.spec.Accounting;
import org.e2enet.core.spec.LayerCost;
import org.e2enet.core.spec.ModelSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet spec}: the layer table and the paper-convention accounting of a preset or spec file. */
@Command(name = "spec", mixinStandardHelpOptions = true,
        description = "Print the layer table of an E2ENet with params (paper Eq. 4), paper FLOPs (Eq. 5) and true FLOPs "
                + "for one patch, at the expected active counts: round(dim0*dim1*(1-S)) kernels per masked tensor for kernel "
                + "granularity, round(inputs*(1-S)) whole input channels for channel and group:G.",
        footer = {"", "Examples:",
            "  e2enet spec --preset amos --sparsity 0.8        # the paper's AMOS row: 9.44 M params, 778.74 GFLOPs",
            "  e2enet spec --preset tiny --granularity channel --json",
            "  e2enet spec --spec my-spec.json"})
final class SpecCommand implements Callable<Integer> {
    @CommandLine.Mixin
    SpecOptions specOptions;

    @Option(names = "--json", description = "Print one JSON object (spec, params, paperFlops, trueFlops, layers).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() {
        ModelSpec spec = specOptions.resolve();
        Accounting a = Accounting.expected(spec);
        PrintWriter out = cmd.commandLine().getOut();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("spec", spec);
            o.put("params", a.params());
            o.put("paperFlops", a.paperFlops());
            o.put("trueFlops", a.trueFlops());
            o.put("accounting", a);
            out.println(Json.write(o));
        } else {
            printTable(out, spec, a);
        }
        out.flush();
        return 0;
    }

    private static void printTable(PrintWriter out, ModelSpec spec, Accounting a) {
        out.printf(Locale.ROOT, "E2ENet P=%d pools, channels %d..%d, patch %s, shift groups %d, sparsity %.3f (%s)%n",
                spec.pools(), spec.channels(0), spec.maxChannels(), java.util.Arrays.toString(spec.patchSize()),
                spec.shiftGroups(), spec.sparsity(), spec.granularity());
        out.printf(Locale.ROOT, "%-44s %-12s %5s %5s %9s %12s %11s %11s%n", "layer", "kind", "in", "out", "active",
                "params", "paper GF", "true GF");
        for (LayerCost c : a.layers()) {
            out.printf(Locale.ROOT, "%-44s %-12s %5d %5d %8.1f%% %12d %11.3f %11.3f%n", c.name(),
                    c.kind().name().toLowerCase(Locale.ROOT), c.inChannels(), c.outChannels(),
                    100.0 * c.activeKernels() / c.kernels(), c.params(), c.paperFlops() / 1e9, c.trueFlops() / 1e9);
        }
        out.printf(Locale.ROOT, "%nlayers %d | params %.4f M (dense %.4f M) | paper FLOPs %.2f G (dense %.2f G)"
                        + " | true FLOPs %.2f G (dense %.2f G)%n", a.layers().size(), a.params() / 1e6, a.denseParams() / 1e6,
                a.paperFlops() / 1e9, a.densePaperFlops() / 1e9, a.trueFlops() / 1e9, a.denseTrueFlops() / 1e9);
    }
}
