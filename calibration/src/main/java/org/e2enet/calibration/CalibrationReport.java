package org.e2enet.calibration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.io.JsonDocuments;
import org.e2enet.core.onnx.OnnxContract;

/**
 * The calibration report {@code {model}.calibration.json} (docs/architecture.md#calibrated-model): what was done, the gate's table, and
 * whether it passed; the deployment planner only considers a reduced-precision model whose report says {@code
 * "passed": true}.
 *
 * @param format {@value #FORMAT}
 * @param model the calibrated model's file name
 * @param source the FP32 model it came from
 * @param sourceSha256 SHA-256 of that file
 * @param precision fp16 or int8
 * @param method range method (int8) or "none"
 * @param activations activation scheme (int8) or null
 * @param cases calibration cases
 * @param tiles calibration tiles
 * @param keptFp32 nodes left FP32 (requested, automatic and always-FP32 ones)
 * @param gate the gate's outcome for the model written (or the last tried, when it failed)
 * @param sensitivity per-layer sensitivity, when the automatic pass ran (most sensitive first)
 * @param speed per-layer FP32 and INT8 time on this machine, when INT8 layers were kept only where faster
 * @param passed whether the gate passed
 * @param seconds wall time
 */
public record CalibrationReport(String format, String model, String source, String sourceSha256, String precision, String method,
                                String activations, List<String> cases, int tiles, List<String> keptFp32, AccuracyGate.Result gate,
                                List<LayerSensitivity> sensitivity, List<LayerTiming> speed, boolean passed, double seconds) {
    /** The format tag. */
    public static final String FORMAT = OnnxContract.CALIBRATION_REPORT_FORMAT;

    /** As JSON. */
    public String toJson() {
        return JsonDocuments.toJson(this);
    }

    /** Writes it atomically. */
    public void write(Path file) throws IOException {
        JsonDocuments.write(file, this);
    }
}
