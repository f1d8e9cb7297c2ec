package org.e2enet.calibration;

import java.util.List;
import org.e2enet.core.onnx.ModelPrecision;

/**
 * What {@code e2enet calibrate} was asked for.
 *
 * @param precision FP16 or INT8
 * @param method how activation ranges are chosen (INT8)
 * @param scheme how activations are stored (INT8)
 * @param cases at most this many calibration cases
 * @param tiles at most this many calibration tiles
 * @param maxDiceDropPoints the gate's limit, in Dice points (0.5 = 0.005 Dice)
 * @param keepFp32 layers or nodes to leave in FP32 (layer names such as {@code loc0.4.1.blocks.0}, or node names)
 * @param autoKeep on a failed gate, put the most sensitive layers back to FP32 until it passes
 * @param fp32WhereFaster (INT8) profile every layer in FP32 and INT8 on this machine's ONNX Runtime CPU and leave
 *     FP32 the convolutions whose INT8 layer is not faster
 * @param threads ONNX Runtime CPU threads
 */
public record CalibrationOptions(ModelPrecision precision, RangeMethod method, ActivationScheme scheme, int cases, int tiles,
                                 double maxDiceDropPoints, List<String> keepFp32, boolean autoKeep, boolean fp32WhereFaster, int threads) {
    /** Validates. */
    public CalibrationOptions {
        if (precision == null || precision == ModelPrecision.FP32) {
            throw new IllegalArgumentException("--precision must be int8 or fp16");
        }
        if (cases < 1 || tiles < 1 || threads < 1) {
            throw new IllegalArgumentException("--cases, --tiles and --threads must be at least 1");
        }
        if (!(maxDiceDropPoints >= 0)) {
            throw new IllegalArgumentException("--max-dice-drop must be a number >= 0");
        }
        keepFp32 = List.copyOf(keepFp32);
    }
}
