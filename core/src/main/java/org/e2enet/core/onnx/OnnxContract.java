package org.e2enet.core.onnx;

import java.nio.file.Path;

/**
 * The names an exported E2ENet ONNX model is read by (docs/architecture.md#onnx-model): its input and output and the
 * keys of its {@code metadata_props}. The exporter writes them, the runtimes, {@code info} and calibration read
 * them; nowhere else spells them.
 */
public final class OnnxContract {
    /** The input: float32 [N, Cin, D, H, W]. */
    public static final String INPUT = "image";
    /** The output: float32 [N, classes, D, H, W], head 0's logits (softmax applied by the consumer). */
    public static final String OUTPUT = "logits";
    /** Metadata key of the model spec (JSON, {@code ModelSpec}). */
    public static final String SPEC = "e2enet.spec";
    /** Metadata key of the preprocessing plans (JSON, {@code Plans}, or {@code null}). */
    public static final String PLANS = "e2enet.plans";
    /** Metadata key of the accounting (JSON, {@code Accounting}). */
    public static final String ACCOUNTING = "e2enet.accounting";
    /** Metadata key of the weight digests (JSON, {@link WeightDigests}). */
    public static final String DIGESTS = "e2enet.digests";
    /** Metadata key of a calibrated model's precision (fp16, int8; absent: fp32). */
    public static final String PRECISION = "e2enet.precision";
    /** Metadata key of a calibrated model's calibration (JSON, {@link CalibrationMetadata}). */
    public static final String CALIBRATION = "e2enet.calibration";
    /** Suffix of the calibration report beside a calibrated model ({@code {model}.calibration.json}); its {@code passed} says whether the gate passed. */
    public static final String CALIBRATION_REPORT_SUFFIX = ".calibration.json";
    /** Format tag of the calibration report (written by the calibration module, read by the deployment planner). */
    public static final String CALIBRATION_REPORT_FORMAT = "e2enet-calibration/1";

    private OnnxContract() {
    }

    /** The file beside {@code model} named after it: {@code m.onnx} with {@code suffix} ".export.json" gives {@code m.export.json}. */
    public static Path besideModel(Path model, String suffix) {
        String name = model.getFileName().toString();
        String stem = name.endsWith(".onnx") ? name.substring(0, name.length() - ".onnx".length()) : name;
        return model.toAbsolutePath().resolveSibling(stem + suffix);
    }
}
