package org.e2enet.core.onnx;

import java.util.Map;

/**
 * What the exporter did with one weight layer.
 *
 * @param name the weight's name
 * @param kind encoder_conv, fusion_conv, tconv or head
 * @param lowering the lowering chosen
 * @param reason why
 * @param estimatedMs the cost model's estimate per considered lowering (patch-sized input)
 * @param inputs input channels the lowered layer reads
 * @param outputs output channels
 * @param storedParams float values the graph stores for this layer (weight + bias)
 * @param trueFlops 2 x multiply-adds of the lowered layer for one patch (from its lowered weight's shape)
 */
public record LayerExport(String name, String kind, Lowering lowering, String reason, Map<String, Double> estimatedMs,
                          int inputs, int outputs, long storedParams, long trueFlops) {
}
