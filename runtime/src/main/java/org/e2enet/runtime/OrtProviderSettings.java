package org.e2enet.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The provider options e2enet gives ONNX Runtime's GPU providers, as plain key/value pairs (the keys of
 * {@code OrtCUDAProviderOptions} and {@code OrtTensorRTProviderOptions}).
 */
final class OrtProviderSettings {
    private OrtProviderSettings() {
    }

    /** CUDA: exhaustive cuDNN algorithm search (DEFAULT was ~4x slower on 3D U-Nets). */
    static Map<String, String> cuda(BackendOptions o) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("device_id", String.valueOf(o.deviceId()));
        m.put("cudnn_conv_algo_search", "EXHAUSTIVE");
        return m;
    }

    /**
     * TensorRT: engines cached under {@code engineCache/ort-trt} (ONNX Runtime keys them by model and GPU, so a
     * second run starts in seconds), FP16 on request, a 1 GiB workspace, timing cache beside the engines.
     */
    static Map<String, String> tensorrt(BackendOptions o) {
        Map<String, String> m = new LinkedHashMap<>();
        String dir = o.engineCache().resolve("ort-trt").toAbsolutePath().toString();
        m.put("device_id", String.valueOf(o.deviceId()));
        m.put("trt_engine_cache_enable", "1");
        m.put("trt_engine_cache_path", dir);
        m.put("trt_timing_cache_enable", "1");
        m.put("trt_timing_cache_path", dir);
        m.put("trt_fp16_enable", o.fp16() ? "1" : "0");
        m.put("trt_max_workspace_size", String.valueOf(1L << 30));
        return m;
    }
}
