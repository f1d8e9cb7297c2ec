package org.e2enet.runtime;

import java.util.Map;

/**
 * The arithmetic an engine computes an FP32 model in, which parity must know as well as the model's own precision
 * ({@code ParityTolerance.of(ModelPrecision, EnginePrecision)} in the parity checks).
 *
 * <p>e2enet turns TF32 off wherever the engine lets it: ONNX Runtime's CUDA provider ({@code use_tf32=0}) and native
 * TensorRT (the {@code kTF32} builder flag cleared). ONNX Runtime's TensorRT provider has no such option, and
 * TensorRT enables TF32 by default on Ampere and newer GPUs, so {@code ort-trt} computes FP32 models in TF32 unless
 * the process runs with {@code NVIDIA_TF32_OVERRIDE=0}, which NVIDIA's libraries honour.
 */
public enum EnginePrecision {
    /** IEEE single precision throughout. */
    FP32,
    /** Tensor-core TF32 for convolutions and matrix products (10-bit mantissa). */
    TF32,
    /** FP16 kernels allowed (TensorRT with {@code --fp16}). */
    FP16;

    /** The environment variable NVIDIA's libraries read to turn TF32 off for the whole process. */
    public static final String TF32_OVERRIDE = "NVIDIA_TF32_OVERRIDE";

    /**
     * Whether parity must use the reduced-precision rules for it.
     *
     * @return true for TF32 and FP16
     */
    public boolean reduced() {
        return this != FP32;
    }

    /**
     * Whether the process environment {@code env} turns TF32 off in NVIDIA's libraries.
     *
     * @param env a process environment, {@link System#getenv()} say
     * @return true when it sets {@value #TF32_OVERRIDE} to 0
     */
    public static boolean tf32Off(Map<String, String> env) {
        return "0".equals(env.get(TF32_OVERRIDE));
    }

    /**
     * What {@code backend} with {@code options} computes in, in a process with environment {@code env}.
     *
     * @param backend a backend other than {@link Backend#AUTO}
     * @param options how the backend runs the model
     * @param env the process environment
     * @return the arithmetic of the model's FP32 parts
     * @throws IllegalArgumentException for {@link Backend#AUTO}, which names no arithmetic until resolved
     */
    public static EnginePrecision of(Backend backend, BackendOptions options, Map<String, String> env) {
        return switch (backend) {
            case ORT_CPU, ORT_CUDA -> FP32;
            case TENSORRT -> options.fp16() ? FP16 : FP32;
            case ORT_TRT -> options.fp16() ? FP16 : tf32Off(env) ? FP32 : TF32;
            case AUTO -> throw new IllegalArgumentException("auto is resolved to a backend before it computes anything");
        };
    }
}
