package org.e2enet.runtime.parity;

import org.e2enet.runtime.OnnxModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.e2enet.core.bundle.GoldenFixtures;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.onnx.ModelPrecision;
import org.e2enet.core.onnx.WeightIdentity;
import org.e2enet.core.spec.ModelSpec;

/**
 * Parity (docs/architecture.md#parity): first the identity of every stored weight (digests recorded at export against the
 * model's initializers and the bundle's tensors), then the exported model on the bundle's golden inputs against the training model's
 * eval-mode logits (max |diff| &lt;= 1e-3 m, mean &lt;= 1e-5 m with m = max(1, max |golden|), argmax agreement
 * &gt;= 99.99%, Dice between the argmax maps &gt;= 0.999 per class), and the graph's FLOPs within 1% of the
 * export report's. A calibrated (INT8, FP16) model, or any model on an engine computing in FP16 or TF32, is held to
 * {@link ParityTolerance#REDUCED} instead; a calibrated model's
 * identity check ties it to the bundle through the FP32 source's digests it carries. Needs no training engine:
 * the training model speaks through its fixtures.
 */
public final class ParityCheck {
    private ParityCheck() {
    }

    /** Runs every check. */
    public static ParityReport run(ModelBundle bundle, Path onnxFile, OnnxModel model) throws IOException {
        if (bundle.golden() == null) {
            throw BadInputException.of(bundle.dir(), "has no golden.safetensors (written at the end of training)");
        }
        ModelSpec spec = bundle.spec();
        if (!spec.equals(model.spec())) {
            throw BadInputException.of(onnxFile, "was exported from another spec than " + bundle.dir());
        }
        E2eNetOnnx onnx = E2eNetOnnx.read(onnxFile);
        ModelPrecision precision = ModelPrecision.of(onnx);
        ParityTolerance tolerance = ParityTolerance.of(precision, model.enginePrecision());
        Optional<ExportReport> report = ExportReport.findBeside(onnxFile);
        WeightIdentity identity = WeightIdentity.check(onnx, bundle, report.isPresent() ? ExportReport.besideModel(onnxFile).getFileName()
                .toString() : null, report.map(ExportReport::digests).orElse(null));
        int k = spec.numClasses();
        double maxDiff = 0;
        double sumDiff = 0;
        long count = 0;
        double scale = 1;
        LabelAgreement labels = new LabelAgreement(k);
        List<GoldenFixtures.Patch> patches = bundle.golden().patches();
        if (patches.isEmpty()) {
            throw BadInputException.of(bundle.dir().resolve(ModelBundle.GOLDEN), "holds no golden patches to compare with");
        }
        for (GoldenFixtures.Patch p : patches) {
            float[] golden = p.logits().floats();
            float[] out = model.run(p.input().floats(), p.input().shape());
            if (out.length != golden.length) {
                throw BadInputException.of(onnxFile, "its logits have " + out.length + " values, the golden ones " + golden.length);
            }
            for (int i = 0; i < out.length; i++) {
                double d = Math.abs(out[i] - golden[i]);
                maxDiff = Math.max(maxDiff, d);
                sumDiff += d;
                scale = Math.max(scale, Math.abs(golden[i]));
            }
            count += out.length;
            int vox = out.length / k;
            for (int v = 0; v < vox; v++) {
                labels.add(argmax(golden, v, vox, k), argmax(out, v, vox, k));
            }
        }
        double mean = sumDiff / Math.max(1, count);
        List<String> failures = new ArrayList<>();
        identity.failures().forEach(f -> failures.add("weight identity: " + f));
        if (tolerance.logits() && maxDiff > 1e-3 * scale) {
            failures.add(String.format(Locale.ROOT, "max |logits - golden| %.3g > 1e-3 x %.3g", maxDiff, scale));
        }
        if (tolerance.logits() && mean > 1e-5 * scale) {
            failures.add(String.format(Locale.ROOT, "mean |logits - golden| %.3g > 1e-5 x %.3g", mean, scale));
        }
        labels.check("golden patches", failures, tolerance);
        long graph = onnx.statsAtPatch().trueFlops();
        long expected = report.map(ExportReport::loweredTrueFlops).orElse(0L);
        if (report.isPresent() && Math.abs(graph - expected) > 0.01 * expected) {
            failures.add(String.format(Locale.ROOT, "graph FLOPs %d differ from the export report's %d by more than 1%%", graph, expected));
        }
        String flopsCheck = report.isPresent() ? null
                : "not run: no export report " + ExportReport.besideModel(onnxFile).getFileName() + " beside the model";
        return new ParityReport(failures.isEmpty(), precision.label(), tolerance, identity, patches.size(), maxDiff, mean, scale, labels.agreement(), labels.dice(),
                graph, expected, flopsCheck, failures);
    }

    private static int argmax(float[] a, int v, int vox, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (a[c * vox + v] > a[best * vox + v]) {
                best = c;
            }
        }
        return best;
    }
}
