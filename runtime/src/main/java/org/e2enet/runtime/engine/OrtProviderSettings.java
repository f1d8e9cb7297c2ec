package org.e2enet.runtime.engine;

import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.EnginePrecision;
import java.util.LinkedHashMap;
import java.util.Map;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.core.spec.ModelSpec;

/**
 * The provider options e2enet gives ONNX Runtime's GPU providers, as plain key/value pairs (the keys of
 * {@code OrtCUDAProviderOptions} and {@code OrtTensorRTProviderOptions}).
 */
final class OrtProviderSettings {
    private OrtProviderSettings() {
    }

    /**
     * CUDA: exhaustive cuDNN algorithm search (ONNX Runtime's own default, made explicit; how it compares with the
     * heuristic search on this network is unmeasured) and TF32 off ({@code use_tf32=0}), so that FP32 is FP32 and
     * parity holds the FP32 limits ({@link EnginePrecision}).
     */
    static Map<String, String> cuda(BackendOptions o) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("device_id", String.valueOf(o.deviceId()));
        m.put("cudnn_conv_algo_search", "EXHAUSTIVE");
        m.put("use_tf32", "0");
        return m;
    }

    /**
     * TensorRT: engines cached under {@code engineCache/ort-trt/tf32-on} or {@code tf32-off} (ONNX Runtime keys them by
     * model, GPU and precision, not by {@code NVIDIA_TF32_OVERRIDE}, which TensorRT reads when it builds: an engine built
     * with TF32 must not be taken for an FP32 one), FP16 on request, a workspace of {@link TensorRtBuild#WORKSPACE_BYTES}, timing
     * cache beside the engines ({@code env} is the process environment), and, for an E2ENet ({@code spec} not null), one optimisation profile over tile
     * batches 1..maxBatch at the patch size: without it the provider rebuilds its engine for every new batch shape.
     */
    static Map<String, String> tensorrt(BackendOptions o, ModelSpec spec, Map<String, String> env) {
        Map<String, String> m = new LinkedHashMap<>();
        String tf32 = EnginePrecision.tf32Off(env) ? "tf32-off" : "tf32-on";
        String dir = o.engineCache().resolve("ort-trt").resolve(tf32).toAbsolutePath().toString();
        m.put("device_id", String.valueOf(o.deviceId()));
        m.put("trt_engine_cache_enable", "1");
        m.put("trt_engine_cache_path", dir);
        m.put("trt_timing_cache_enable", "1");
        m.put("trt_timing_cache_path", dir);
        m.put("trt_fp16_enable", o.fp16() ? "1" : "0");
        m.put("trt_max_workspace_size", String.valueOf(TensorRtBuild.WORKSPACE_BYTES));
        if (spec != null) {
            m.put("trt_profile_min_shapes", profileShape(spec, 1));
            m.put("trt_profile_opt_shapes", profileShape(spec, o.maxBatch()));
            m.put("trt_profile_max_shapes", profileShape(spec, o.maxBatch()));
        }
        return m;
    }

    /** ONNX Runtime's profile syntax for the input at {@code batch} tiles: {@code input:BxCxDxHxW}. */
    private static String profileShape(ModelSpec spec, int batch) {
        int[] p = spec.patchSize();
        return OnnxContract.INPUT + ":" + batch + "x" + spec.inputChannels() + "x" + p[0] + "x" + p[1] + "x" + p[2];
    }
}
