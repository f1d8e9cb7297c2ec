package org.e2enet.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.e2enet.calibration.CalibrationReport;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.metrics.EvaluationReport;
import org.e2enet.core.metrics.FlopsCutRealised;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.runtime.bench.BenchResult;
import org.e2enet.runtime.parity.ParityReport;
import org.e2enet.runtime.parity.VolumeParity;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** The quickstart's report.json, report.md and figures. */
final class QuickstartReport {
    private QuickstartReport() {
    }

    static void write(Path out, ModelSpec spec, ModelBundle bundle, EvaluationReport eval, ParityReport parity, VolumeParity.Report volumes,
                      ExportReport pruned,
                      ExportReport dense, List<BenchResult> bench, double seconds, Path images, Path labels, Path predictions,
                      CalibrationReport calibration, EvaluationReport int8Eval)
            throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("meanDice", eval.meanDice());
        Map<String, Double> perClass = new LinkedHashMap<>();
        for (int c = 1; c < eval.classNames().size(); c++) {
            perClass.put(eval.classNames().get(c), eval.meanDicePerClass()[c - 1]);
        }
        r.put("perClassDice", perClass);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("passed", parity.passed() && volumes.passed());
        p.put("maxAbsLogitDiff", parity.maxAbsDiff());
        p.put("meanAbsLogitDiff", parity.meanAbsDiff());
        p.put("argmaxAgreement", parity.argmaxAgreement());
        p.put("dice", parity.dicePerClass());
        p.put("validationVolumes", volumes.cases());
        p.put("volumeAgreement", volumes.agreement());
        p.put("volumeDice", volumes.dicePerClass());
        r.put("parity", p);
        r.put("params", bundle.manifest().accounting().params());
        r.put("paperFlops", bundle.manifest().accounting().paperFlops());
        r.put("trueFlops", Map.of("dense", dense.graphTrueFlops(), "pruned", pruned.graphTrueFlops()));
        double denseMs = bench.get(0).tileMedianMs();
        double prunedMs = bench.get(1).tileMedianMs();
        r.put("latencyMs", Map.of("dense", denseMs, "pruned", prunedMs));
        r.put("speedup", denseMs / prunedMs);
        r.put("flopsReduction", (double) dense.graphTrueFlops() / pruned.graphTrueFlops());
        double realised = FlopsCutRealised.share(prunedMs / denseMs, (double) pruned.graphTrueFlops() / dense.graphTrueFlops());
        r.put("flopsCutRealised", realised);
        r.put("granularity", spec.granularity().toString());
        r.put("sparsity", spec.sparsity());
        r.put("staticMasks", spec.dsff().isStatic());
        r.put("regrowBy", spec.dsff().isStatic() ? null : spec.dsff().regrowBy());
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("passed", calibration.passed());
        q.put("gateDiceDropPoints", calibration.gate().dropPoints());
        long layers = calibration.speed().size();
        long int8Layers = calibration.speed().stream().filter(l -> !l.keptFp32()).count();
        q.put("int8Layers", int8Layers);
        q.put("layers", layers);
        Double int8Ms = int8Eval == null ? null : bench.get(2).tileMedianMs();
        if (int8Eval != null) {
            q.put("meanDice", int8Eval.meanDice());
            q.put("latencyMs", int8Ms);
            q.put("speedup", denseMs / int8Ms);
            q.put("speedupOverPruned", prunedMs / int8Ms);
        }
        r.put("int8", q);
        r.put("seconds", seconds);
        AtomicFiles.writeString(out.resolve("report.json"), Json.write(r) + "\n");
        speedupFigure(out, denseMs / prunedMs, (double) dense.graphTrueFlops() / pruned.graphTrueFlops(), int8Ms == null ? null : denseMs / int8Ms);
        String caseId = eval.cases().get(0).caseId();
        OverlayFigure.write(out.resolve("overlay.png"), caseId, NiftiReader.read(images.resolve(caseId + "_0000.nii.gz")),
                NiftiReader.read(labels.resolve(caseId + ".nii.gz")), NiftiReader.read(predictions.resolve(caseId + ".nii.gz")), eval.classNames());
        StringBuilder md = new StringBuilder("# e2enet quickstart report\n\n");
        md.append(String.format(Locale.ROOT, "Tiny E2ENet, sparse feature fusion at sparsity %.1f with **%s** granularity (whole input "
                + "channels are pruned, so the exported convolutions are physically smaller) and %s masks, trained on synthetic "
                + "phantoms, evaluated on %d held-out volume(s). Total time %.0f s.%n%n", spec.sparsity(), spec.granularity(),
                spec.dsff().isStatic() ? "static" : "dynamic (DSFF, " + spec.dsff().regrowBy() + " regrowth)", eval.cases().size(), seconds));
        md.append("| figure | value |\n|---|---|\n");
        md.append(String.format(Locale.ROOT, "| held-out mean Dice (pruned ONNX model) | %.3f |%n", eval.meanDice()));
        perClass.forEach((k, v) -> md.append(String.format(Locale.ROOT, "| Dice %s | %.3f |%n", k, v)));
        md.append(String.format(Locale.ROOT, "| parity | %s (golden patches: max abs logit diff %.2g, argmax agreement %.5f; "
                        + "%d whole validation volume(s): label agreement %.5f) |%n", parity.passed() && volumes.passed() ? "passed" : "FAILED",
                parity.maxAbsDiff(), parity.argmaxAgreement(), volumes.cases().size(), volumes.agreement()));
        md.append(String.format(Locale.ROOT, "| params (paper Eq. 4) | %d |%n", bundle.manifest().accounting().params()));
        md.append(String.format(Locale.ROOT, "| paper FLOPs (Eq. 5) | %.3f G |%n", bundle.manifest().accounting().paperFlops() / 1e9));
        md.append(String.format(Locale.ROOT, "| true FLOPs dense / pruned graph | %.3f G / %.3f G |%n", dense.graphTrueFlops() / 1e9,
                pruned.graphTrueFlops() / 1e9));
        md.append(String.format(Locale.ROOT, "| tile latency dense / pruned (ONNX Runtime CPU) | %.1f ms / %.1f ms |%n", denseMs, prunedMs));
        md.append(String.format(Locale.ROOT, "| speedup / FLOPs reduction | %.2fx / %.2fx: %.0f%% of the FLOPs cut realised (speedup over "
                + "the speedup the FLOPs allow) |%n%n", denseMs / prunedMs, (double) dense.graphTrueFlops() / pruned.graphTrueFlops(), 100 * realised));
        if (int8Eval != null) {
            md.append(String.format(Locale.ROOT, "| INT8 (calibrated pruned model; %d of %d layers INT8, the rest faster in FP32 here) | held-out "
                    + "mean Dice %.3f, tile %.1f ms, speedup %.2fx over dense, %.2fx over FP32 pruned |%n%n", int8Layers, layers,
                    int8Eval.meanDice(), int8Ms, denseMs / int8Ms, prunedMs / int8Ms));
        } else {
            md.append(String.format(Locale.ROOT, "| INT8 | gate failed (held-out Dice drop %.2f points > %.2f): no INT8 model |%n%n",
                    calibration.gate().dropPoints(), calibration.gate().maxDropPoints()));
        }
        md.append("![training curves](training-curves.png)\n\n![held-out case: image, ground truth, prediction](overlay.png)\n\n");
        md.append("![speedup vs FLOPs reduction](speedup.png)\n");
        AtomicFiles.writeString(out.resolve("report.md"), md.toString());
    }

    private static void speedupFigure(Path out, double speedup, double flopsReduction, Double int8Speedup) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(600).height(400).title("pruned (and INT8) vs dense ONNX model")
                .yAxisTitle("x dense").build();
        List<String> names = new java.util.ArrayList<>(List.of("FLOPs reduction", "measured speedup"));
        List<Double> values = new java.util.ArrayList<>(List.of(flopsReduction, speedup));
        if (int8Speedup != null) {
            names.add("INT8 speedup");
            values.add(int8Speedup);
        }
        chart.addSeries("factor", names, values);
        chart.getStyler().setLegendVisible(false);
        BitmapEncoder.saveBitmap(chart, out.resolve("speedup.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
