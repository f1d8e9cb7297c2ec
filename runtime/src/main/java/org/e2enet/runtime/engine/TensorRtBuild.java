package org.e2enet.runtime.engine;

import org.e2enet.runtime.BackendOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.e2enet.core.io.ModelLoadException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.onnx.proto.OnnxMl;

/**
 * How TensorRT 10 builds the engine of one model, decided from the ONNX file and the options before any GPU
 * library is touched: FP16 kernels when asked; explicit INT8 when the graph carries QuantizeLinear /
 * DequantizeLinear pairs (TensorRT reads the scales from the graph, no calibrator: implicit calibration is
 * deprecated since TensorRT 10.1); normalisation layers held in FP32 under reduced precision (InstanceNormalization
 * overflows in FP16); and a workspace memory-pool limit.
 *
 * @param fp16 FP16 kernels allowed
 * @param explicitInt8 INT8 from the graph's Q/DQ scales
 * @param normsInFp32 normalisation layers constrained to FP32 (set whenever fp16 or explicitInt8 is)
 * @param normalizations the graph's InstanceNormalization nodes (what {@code normsInFp32} constrains)
 * @param workspaceBytes the workspace memory-pool limit
 */
record TensorRtBuild(boolean fp16, boolean explicitInt8, boolean normsInFp32, List<String> normalizations, long workspaceBytes) {
    /**
     * Workspace limit: 1 GiB (TensorRT's default is the whole device memory). Whether it restricts the tactics
     * TensorRT picks for a 128^3 tile of the paper's network is unmeasured: no GPU has built that engine yet.
     */
    static final long WORKSPACE_BYTES = 1L << 30;

    /**
     * The build of {@code onnx} under {@code options}; a Q/DQ pair TensorRT cannot take is bad input naming the
     * node.
     */
    static TensorRtBuild of(E2eNetOnnx onnx, BackendOptions options) {
        Path file = onnx.file();
        OnnxMl.ModelProto model = onnx.model();
        Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
        model.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        boolean quantized = false;
        List<String> norms = new ArrayList<>();
        for (OnnxMl.NodeProto n : model.getGraph().getNodeList()) {
            switch (n.getOpType()) {
                case "QuantizeLinear", "DequantizeLinear" -> {
                    requireSymmetricInt8(file, n, initializers);
                    quantized = true;
                }
                case "InstanceNormalization" -> norms.add(n.getName());
                default -> {
                }
            }
        }
        boolean reduced = options.fp16() || quantized;
        return new TensorRtBuild(options.fp16(), quantized, reduced, List.copyOf(norms), WORKSPACE_BYTES);
    }

    /** TensorRT's explicit quantization takes int8 with zero point 0 and scales stored in the graph. */
    private static void requireSymmetricInt8(Path file, OnnxMl.NodeProto n, Map<String, OnnxMl.TensorProto> initializers) {
        if (n.getInputCount() < 2 || !initializers.containsKey(n.getInput(1))) {
            throw new ModelLoadException(file, "node " + n.getName() + " (" + n.getOpType() + "): its scale is not a constant of the graph, "
                    + "which TensorRT's explicit quantization needs");
        }
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            OnnxMl.TensorProto zero = initializers.get(n.getInput(2));
            if (zero == null || zero.getDataType() != OnnxMl.TensorProto.DataType.INT8.getNumber() || !allZero(zero)) {
                throw new ModelLoadException(file, "node " + n.getName() + " (" + n.getOpType() + "): TensorRT takes symmetric int8 "
                        + "quantization (int8 zero point 0), this one is not");
            }
        }
    }

    private static boolean allZero(OnnxMl.TensorProto t) {
        for (byte b : t.getRawData().toByteArray()) {
            if (b != 0) {
                return false;
            }
        }
        return t.getInt32DataList().stream().allMatch(v -> v == 0);
    }

    /** The precision part of the engine cache key: fp32, fp16, int8 or int8-fp16. */
    String precision() {
        return explicitInt8 ? (fp16 ? "int8-fp16" : "int8") : fp16 ? "fp16" : "fp32";
    }
}
