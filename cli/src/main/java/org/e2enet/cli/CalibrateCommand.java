package org.e2enet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.e2enet.calibration.AccuracyGate;
import org.e2enet.calibration.ActivationScheme;
import org.e2enet.calibration.Calibration;
import org.e2enet.calibration.CalibrationOptions;
import org.e2enet.calibration.CalibrationReport;
import org.e2enet.calibration.LayerSensitivity;
import org.e2enet.calibration.LayerTiming;
import org.e2enet.calibration.RangeMethod;
import org.e2enet.core.onnx.ModelPrecision;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet calibrate}: an INT8 or FP16 model from an FP32 export, kept only when its accuracy gate passes. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Make a reduced-precision model from an FP32 export, with real data: the dataset's cases preprocessed with the "
                + "model's own plans and cut into tiles by the sliding window. INT8: activation ranges from running the FP32 graph on "
                + "those tiles, weights int8 per output channel, QuantizeLinear/DequantizeLinear pairs around every convolution "
                + "(explicit quantization that ONNX Runtime runs as integer convolutions and TensorRT reads as is); normalisation and "
                + "activations stay FP32. FP16: float16 weights and activations, InstanceNormalization in FP32, input and output "
                + "float32. Then the gate: the FP32 and the new model segment the held-out cases (imagesTs with labelsTs, or the last "
                + "fifth of the training cases) and the new model's mean Dice against the ground truth may drop at most "
                + "--max-dice-drop points. Writes OUT and OUT's .calibration.json atomically when it passes; prints the table, "
                + "writes nothing and exits 1 when it fails.",
        footer = {"", "Examples:",
            "  e2enet calibrate --onnx model.onnx --dataset data/Dataset001 --precision int8 --out model.int8.onnx",
            "  e2enet calibrate --onnx model.onnx --dataset data/Dataset001 --precision int8 --out model.int8.onnx --keep-fp32 auto",
            "  e2enet calibrate --onnx model.onnx --dataset data/Dataset001_preprocessed --precision fp16 --out model.fp16.onnx --json"})
final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--onnx", required = true, description = "The FP32 model (from 'e2enet export').")
    Path onnx;

    @Option(names = "--dataset", required = true, description = "A raw nnU-Net dataset with labels, or an 'e2enet preprocess' output "
            + "made with the model's plans.")
    Path dataset;

    @Option(names = "--precision", required = true, description = "int8 or fp16.")
    String precision;

    @Option(names = "--out", required = true, description = "The model to write.")
    Path out;

    @Option(names = "--cases", defaultValue = "8", description = "At most this many calibration cases. Default: ${DEFAULT-VALUE}.")
    int cases;

    @Option(names = "--tiles", defaultValue = "32", description = "At most this many calibration tiles. Default: ${DEFAULT-VALUE}.")
    int tiles;

    @Option(names = "--method", defaultValue = "percentile", description = "Activation ranges (int8): minmax, percentile (99.99th of "
            + "|x|) or entropy (KL divergence). Default: ${DEFAULT-VALUE}.")
    RangeMethod method;

    @Option(names = "--activations", defaultValue = "u8", description = "int8 activation storage: u8 (asymmetric; fastest on ONNX Runtime "
            + "CPU, the depth shift then moves 8-bit data) or s8 (symmetric, zero point 0: what TensorRT reads). Default: ${DEFAULT-VALUE}.")
    ActivationScheme activations;

    @Option(names = "--max-dice-drop", defaultValue = "0.5", description = "Largest allowed drop of mean Dice against the ground truth, "
            + "in points (0.5 = 0.005). Default: ${DEFAULT-VALUE}.")
    double maxDiceDrop;

    @Option(names = "--keep-fp32", split = ",", description = "Layers or nodes to leave in FP32 (e.g. conv_blocks_context.0.blocks.0), or "
            + "'auto': when the gate fails, rank the convolutions by how much reducing each alone moves the logits and put the most "
            + "sensitive back until it passes.")
    List<String> keepFp32 = new ArrayList<>();

    @Option(names = "--fp32-where-faster", negatable = true, defaultValue = "true", fallbackValue = "true", description = "int8: profile "
            + "every layer in FP32 and INT8 with ONNX Runtime CPU on this machine and leave FP32 the convolutions whose INT8 form is not "
            + "faster (on by default; for TensorRT, which picks per layer itself, use --no-fp32-where-faster --activations s8).")
    boolean fp32WhereFaster;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @CommandLine.Mixin
    ThreadsOption threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws Exception {
        ModelPrecision p = ModelPrecision.parse(precision.toLowerCase(Locale.ROOT), "--precision");
        boolean auto = keepFp32.remove("auto");
        CalibrationOptions options = CalibrationOptions.builder(p).method(method).scheme(activations).cases(cases).tiles(tiles)
                .maxDiceDropPoints(maxDiceDrop).keepFp32(keepFp32).autoKeep(auto).fp32WhereFaster(fp32WhereFaster).threads(threads.count()).build();
        Calibration.Outcome r = Calibration.run(onnx, dataset, out, options, new ConsoleProgress());
        PrintWriter o = cmd.commandLine().getOut();
        CalibrationReport rep = r.report();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("written", r.written());
            m.put("report", rep);
            o.println(Json.write(m));
        } else {
            print(o, rep);
            o.println(r.written() ? "gate PASSED: wrote " + out + " and its .calibration.json"
                    : String.format(Locale.ROOT, "gate FAILED: Dice dropped %.2f points (limit %.2f); wrote nothing", rep.gate().dropPoints(),
                    rep.gate().maxDropPoints()));
        }
        o.flush();
        return r.written() ? 0 : E2eNetCommand.CHECK_FAILED;
    }

    private static void print(PrintWriter o, CalibrationReport r) {
        AccuracyGate.Result g = r.gate();
        o.printf(Locale.ROOT, "%s calibration (%s%s) from %d tile(s) of %d case(s); %d node(s) FP32%n", r.precision(), r.method(),
                r.activations() == null ? "" : ", activations " + r.activations(), r.tiles(), r.cases().size(), r.keptFp32().size());
        o.printf(Locale.ROOT, "%-24s %12s %12s %14s%n", "gate case", "Dice fp32", "Dice " + r.precision(), "Dice between");
        for (AccuracyGate.CaseRow c : g.cases()) {
            o.printf(Locale.ROOT, "%-24s %12.4f %12.4f %14.4f%n", c.id(), c.fp32Dice(), c.candidateDice(), c.diceBetween());
        }
        o.printf(Locale.ROOT, "%-24s %12.4f %12.4f %14s%n", "mean", g.fp32MeanDice(), g.candidateMeanDice(), "");
        o.printf(Locale.ROOT, "Dice drop %.2f points (limit %.2f); logits on %d tile(s): max |diff| %.4g, mean %.4g%n", g.dropPoints(),
                g.maxDropPoints(), g.logitTiles(), g.maxLogitDiff(), g.meanLogitDiff());
        if (!r.speed().isEmpty()) {
            long faster = r.speed().stream().filter(t -> !t.keptFp32()).count();
            double f = r.speed().stream().mapToDouble(LayerTiming::fp32Ms).sum();
            double q = r.speed().stream().mapToDouble(t -> t.keptFp32() ? t.fp32Ms() : t.int8Ms()).sum();
            o.printf(Locale.ROOT, "speed on this machine: %d of %d convolution layer(s) faster in INT8; layers %.2f ms FP32 -> %.2f ms%s%n", faster,
                    r.speed().size(), f, q, faster == 0 ? " (INT8 gains nothing here: the model stays FP32 throughout)" : "");
        }
        if (!r.sensitivity().isEmpty()) {
            o.printf(Locale.ROOT, "%-40s %16s  %s%n", "layer (most sensitive first)", "mean |dlogit|", "fp32");
            for (LayerSensitivity s : r.sensitivity()) {
                o.printf(Locale.ROOT, "%-40s %16.4g  %s%n", s.layer(), s.meanAbsLogitDiff(), s.keptFp32() ? "kept" : "");
            }
        }
    }
}
