package org.e2enet.exporter;

import java.io.IOException;
import java.nio.file.Path;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.onnx.LayerExport;
import org.e2enet.core.onnx.OnnxGraphStats;
import org.e2enet.core.spec.Accounting;
import org.e2enet.core.spec.LayerCost;
import org.e2enet.core.spec.LayerKind;
import org.e2enet.core.spec.ModelSpec;

/** {@code e2enet export}: reads a bundle, writes the ONNX model and its report, both atomically. */
public final class ModelExport {
    private ModelExport() {
    }

    /** Exports with the cost model measured on the project machine and writes; returns the report. */
    public static ExportReport run(Path bundleDir, Path out, ExportOptions options, Path reportFile) throws IOException {
        return run(bundleDir, out, options, reportFile, CostModel.MEASURED);
    }

    /** Exports with {@code cost} (e.g. a target machine's, from its device profile) and writes; returns the report. */
    public static ExportReport run(Path bundleDir, Path out, ExportOptions options, Path reportFile, CostModel cost) throws IOException {
        ModelBundle bundle = ModelBundle.read(bundleDir);
        OnnxExporter.Result r = OnnxExporter.export(bundle, options, cost);
        ModelSpec spec = bundle.spec();
        int[] p = spec.patchSize();
        OnnxGraphStats stats = OnnxGraphStats.of(r.model(), new long[] {1, spec.inputChannels(), p[0], p[1], p[2]});
        Accounting acc = Accounting.of(spec, bundle::activeKernels);
        long expected = 0;
        long dense = 0;
        for (LayerCost c : acc.layers()) {
            if (c.kind() != LayerKind.HEAD || c.name().equals("seg_outputs.0.weight")) {
                expected += c.trueFlops();
                dense += c.denseTrueFlops();
            }
        }
        ExportReport report = new ExportReport(ExportReport.FORMAT, out.toString(), bundleDir.toString(), options.lowering(),
                options.spatial(), p, stats.trueFlops(),
                r.layers().stream().mapToLong(LayerExport::trueFlops).sum(), expected, dense, acc.paperFlops(),
                stats.storedParams(), acc.params(), cost.constants(), r.layers(), r.digests());
        byte[] bytes = r.model().toByteArray();
        AtomicFiles.write(out, o -> o.write(bytes));
        report.write(reportFile);
        return report;
    }
}
