package org.e2enet.core.onnx;

import java.util.List;
import org.e2enet.core.io.JsonDocuments;

/**
 * What a calibrated model carries about its calibration ({@link OnnxContract#CALIBRATION}): how the ranges were
 * found, from which data, which nodes stayed FP32, and the identity of both the FP32 model it came from and its
 * own stored values. The FP32 source's weight digests stay in {@link OnnxContract#DIGESTS}, so parity still ties
 * the calibrated model to the bundle's tensors; {@link #initializers} ties its own initializers to this file.
 *
 * @param precision fp16 or int8
 * @param method range method (minmax, percentile, entropy; "none" for fp16)
 * @param activations activation scheme of int8 models (s8: symmetric int8, zero point 0); null for fp16
 * @param cases the cases the calibration tiles came from
 * @param tiles calibration tiles used
 * @param scalesSha256 SHA-256 over every activation scale and zero point, in tensor order (null for fp16)
 * @param keptFp32 the nodes left in FP32 (names as in the graph)
 * @param sourceSha256 SHA-256 of the FP32 model file it was calibrated from
 * @param initializers digests of this model's own initializers (no sources: they derive from the FP32 model's)
 */
public record CalibrationMetadata(String precision, String method, String activations, List<String> cases, int tiles, String scalesSha256,
                                  List<String> keptFp32, String sourceSha256, List<WeightDigests.Entry> initializers) {

    /** Immutable copies. */
    public CalibrationMetadata {
        cases = List.copyOf(cases);
        keptFp32 = List.copyOf(keptFp32);
        initializers = List.copyOf(initializers);
    }

    /** As JSON (the metadata's value). */
    public String toJson() {
        return JsonDocuments.toCompactJson(this);
    }

    /** Parses the metadata's value; {@code source} names it in errors. */
    public static CalibrationMetadata fromJson(String json, String source) {
        return JsonDocuments.parse(json, CalibrationMetadata.class, source + " (calibration metadata)");
    }
}
