package org.e2enet.calibration;

/**
 * How much reducing one layer alone moves the output: mean |logits - FP32 logits| over the gate's logit tiles
 * with only that convolution in reduced precision.
 *
 * @param layer the layer (node-name scope)
 * @param node the convolution
 * @param meanAbsLogitDiff the mean absolute logit change
 * @param keptFp32 whether the automatic pass put it back to FP32
 */
public record LayerSensitivity(String layer, String node, double meanAbsLogitDiff, boolean keptFp32) {
}
