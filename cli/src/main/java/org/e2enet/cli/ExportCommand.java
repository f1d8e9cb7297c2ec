package org.e2enet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.onnx.LayerExport;
import org.e2enet.core.onnx.LoweringPolicy;
import org.e2enet.core.onnx.Spatial;
import org.e2enet.devices.DeviceProfile;
import org.e2enet.exporter.CostModel;
import org.e2enet.exporter.ExportOptions;
import org.e2enet.exporter.ModelExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet export}: model bundle to ONNX. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a model bundle as ONNX (IR 8, opset 17, standard operators only; input 'image' "
                + "[N, C, D, H, W], output 'logits' of head 0). Masked layers become physically smaller convolutions "
                + "(Gather of the used input channels, or a grouped Conv), chosen per layer by a measured cost model. "
                + "Writes MODEL and MODEL.export.json.",
        footer = {"", "Examples:",
            "  e2enet export --model models/tiny --out models/tiny.onnx",
            "  e2enet export --model models/tiny --out models/tiny-dense.onnx --lowering dense --spatial dynamic"})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "The model bundle directory.")
    Path model;

    @Option(names = "--out", required = true, description = "The .onnx file to write.")
    Path out;

    @Option(names = "--lowering", defaultValue = "auto", description = "auto (prune by cost model) or dense. Default: ${DEFAULT-VALUE}.")
    LoweringPolicy lowering;

    @Option(names = "--spatial", defaultValue = "fixed", description = "fixed (patch size) or dynamic D, H, W. Default: ${DEFAULT-VALUE}.")
    Spatial spatial;

    @Option(names = "--report", description = "Where to write the report (default: beside the model, .export.json).")
    Path report;

    @Option(names = "--device-profile", description = "Choose lowerings with the cost model measured on the target machine "
            + "('e2enet devices --save FILE --measure' there); default: the constants measured on the project machine.", paramLabel = "FILE")
    Path deviceProfile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws Exception {
        Path reportFile = report != null ? report : ExportReport.besideModel(out);
        CostModel cost = CostModel.MEASURED;
        if (deviceProfile != null) {
            ExportReport.CostConstants c = DeviceProfile.costModelOf(deviceProfile);
            cost = new CostModel(c.convFlopsPerMs(), c.gatherElementsPerMs(), c.groupedEfficiency());
        }
        ExportReport r = ModelExport.run(model, out, new ExportOptions(lowering, spatial), reportFile, cost);
        PrintWriter o = cmd.commandLine().getOut();
        o.printf(Locale.ROOT, "%-36s %-12s %-8s %7s %5s %10s  %s%n", "layer", "kind", "lowering", "inputs", "outs", "params", "why");
        for (LayerExport l : r.layers()) {
            o.printf(Locale.ROOT, "%-36s %-12s %-8s %7d %5d %10d  %s%n", l.name(), l.kind(), l.lowering().label(),
                    l.inputs(), l.outputs(), l.storedParams(), l.reason());
        }
        o.printf(Locale.ROOT, "%nwrote %s and %s%n", out, reportFile);
        o.printf(Locale.ROOT, "graph true FLOPs %.4f G (accounting, masked: %.4f G; dense: %.4f G; ratio to dense %.3f) | params stored %d "
                        + "(accounting %d, all heads) | paper FLOPs %.4f G%n", r.graphTrueFlops() / 1e9, r.expectedTrueFlops() / 1e9,
                r.denseTrueFlops() / 1e9, (double) r.graphTrueFlops() / r.denseTrueFlops(), r.graphParams(), r.accountingParams(),
                r.paperFlops() / 1e9);
        o.flush();
        return 0;
    }
}
