package org.e2enet.runtime.parity;

import org.e2enet.runtime.EnginePrecision;
import org.e2enet.core.onnx.ModelPrecision;

/**
 * The limits parity applies (docs/architecture.md#parity, #precision). FP32: logits within 1e-3 m (max) and 1e-5 m (mean), argmax agreement
 * &gt;= 99.99% and Dice between the two predictions &gt;= 0.999 for every class. Reduced precision (INT8, FP16):
 * the logit limits do not apply (quantization moves logits by design); argmax agreement &gt;= 99% and the mean
 * over classes of the Dice between the two predictions &gt;= 0.95; the accuracy that matters, Dice against the
 * ground truth, is what calibration's gate held to 0.5 points. An FP32 model on an engine that computes in FP16 or
 * TF32 ({@link EnginePrecision}) is held to the reduced rules too.
 *
 * @param name how the report names the rules
 * @param logits whether the logit limits apply
 * @param minAgreement least argmax agreement
 * @param minDice least Dice between the predictions
 * @param perClass whether {@code minDice} holds for every class (else for their mean)
 */
public record ParityTolerance(String name, boolean logits, double minAgreement, double minDice, boolean perClass) {
    /** The FP32 rules. */
    public static final ParityTolerance FP32 = new ParityTolerance("fp32", true, 0.9999, 0.999, true);
    /** The reduced-precision rules. */
    public static final ParityTolerance REDUCED = new ParityTolerance("reduced precision", false, 0.99, 0.95, false);

    /**
     * The rules for a model of precision {@code model} run by an engine computing in {@code engine}: FP32 only when
     * both are; an FP32 model on an FP16 or TF32 engine moves its logits as a reduced-precision model does, and the
     * rules' name says that the engine is why.
     */
    public static ParityTolerance of(ModelPrecision model, EnginePrecision engine) {
        if (model.reduced()) {
            return REDUCED;
        }
        if (engine.reduced()) {
            return new ParityTolerance(REDUCED.name() + " (the engine computes in " + engine.name() + ")", REDUCED.logits(),
                    REDUCED.minAgreement(), REDUCED.minDice(), REDUCED.perClass());
        }
        return FP32;
    }
}
