package org.e2enet.calibration;

import java.util.Locale;

/**
 * How activations are stored in INT8 models. {@link #U8} (asymmetric uint8) is what ONNX Runtime CPU runs
 * fastest: its x86 kernels take uint8 activations anywhere, so the depth shift's data movement runs on 8-bit
 * data too (measured on the paper-channel model, README "Calibration"). {@link #S8} (symmetric int8, zero point
 * 0) is the form TensorRT reads as explicit quantization.
 */
public enum ActivationScheme {
    /** int8, zero point 0, scale = max|x| / 127. */
    S8,
    /** uint8, scale = (max - min) / 255 over a range that includes 0, zero point = round(-min / scale). */
    U8;

    /**
     * Scale and zero point for one tensor.
     *
     * @param scale real value of one step (positive)
     * @param zeroPoint the stored value of 0
     */
    public record Params(float scale, int zeroPoint) {
    }

    /** Whether data movement between quantized tensors (Pad, Slice, Concat, Gather) runs on the 8-bit values. */
    boolean movesInInt8() {
        return this == U8;
    }

    /** The option value (s8, u8). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scale and zero point for {@code r}; an empty range (all zeros) gets scale 1. */
    public Params params(ActivationRange r) {
        if (this == S8) {
            double a = r.absMax();
            return new Params(a > 0 ? (float) (a / 127) : 1f, 0);
        }
        double lo = Math.min(0, r.min());
        double hi = Math.max(0, r.max());
        if (hi - lo <= 0) {
            return new Params(1f, 0);
        }
        float scale = (float) ((hi - lo) / 255);
        int zp = (int) Math.max(0, Math.min(255, Math.round(-lo / scale)));
        return new Params(scale, zp);
    }
}
