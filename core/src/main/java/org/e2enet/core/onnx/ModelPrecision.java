package org.e2enet.core.onnx;

import java.util.Locale;
import org.e2enet.core.io.BadInputException;

/** The numeric precision an exported model computes in: FP32 as exported, or FP16/INT8 after calibration ({@link OnnxContract#PRECISION}). */
public enum ModelPrecision {
    /** As exported. */
    FP32,
    /** float16 weights and activations (normalisations kept in float32). */
    FP16,
    /** int8 weights and activations through QuantizeLinear/DequantizeLinear pairs. */
    INT8;

    /**
     * The name used in metadata, reports and on the command line.
     *
     * @return {@code fp32}, {@code fp16} or {@code int8}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether this is a reduced precision (parity applies its own tolerances).
     *
     * @return true for FP16 and INT8
     */
    public boolean reduced() {
        return this != FP32;
    }

    /**
     * The precision {@code onnx} declares.
     *
     * @param onnx an exported model
     * @return its precision, FP32 when it declares none
     * @throws BadInputException when it declares an unknown one
     */
    public static ModelPrecision of(E2eNetOnnx onnx) {
        String value = onnx.metadata().get(OnnxContract.PRECISION);
        return value == null ? FP32 : parse(value, onnx.file() + " " + OnnxContract.PRECISION);
    }

    /**
     * Parses a label.
     *
     * @param label a {@link #label()}
     * @param source where it came from, named in the error
     * @return the precision
     * @throws BadInputException when it names none
     */
    public static ModelPrecision parse(String label, String source) {
        for (ModelPrecision p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        throw new BadInputException(source + ": unknown precision '" + label + "' (fp32, fp16 or int8)");
    }
}
