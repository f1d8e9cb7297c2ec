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

    /** Exports and writes; returns the report. */
    public static ExportReport run(Path bundleDir, Path out, ExportOptions options, Path reportFile) throws IOException {
        ModelBundle bundle = ModelBundle.read(bundleDir);
        OnnxExporter.Result r = OnnxExporter.export(bundle, options, CostModel.MEASURED);
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
        ExportReport report = new ExportReport(ExportReport.FORMAT, out.toString(), bundleDir.toString(), options.lowering().label(),
                options.spatial().label(), p, stats.trueFlops(),
                r.layers().stream().mapToLong(LayerExport::trueFlops).sum(), expected, dense, acc.paperFlops(),
                stats.storedParams(), acc.params(), CostModel.MEASURED.constants(), r.layers(), r.digests());
        byte[] bytes = r.model().toByteArray();
        AtomicFiles.write(out, o -> o.write(bytes));
        report.write(reportFile);
        return report;
    }
}
