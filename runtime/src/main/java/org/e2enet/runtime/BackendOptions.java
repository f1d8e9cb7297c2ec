package org.e2enet.runtime;

import java.nio.file.Path;

/**
 * How a backend runs the network.
 *
 * @param threads intra-op CPU threads for {@code ort-cpu} (spinning off)
 * @param fp16 let TensorRT ({@code ort-trt}, {@code tensorrt}) use FP16 kernels
 * @param engineCache directory of cached TensorRT engines ({@code ort-trt} and {@code tensorrt})
 * @param deviceId the CUDA device
 * @param maxBatch the largest tile batch a TensorRT engine is built for
 */
public record BackendOptions(int threads, boolean fp16, Path engineCache, int deviceId, int maxBatch) {
    /** Validates. */
    public BackendOptions {
        if (threads < 1 || maxBatch < 1 || deviceId < 0) {
            throw new IllegalArgumentException("threads and maxBatch must be >= 1 and deviceId >= 0");
        }
        if (engineCache == null) {
            engineCache = defaultEngineCache();
        }
    }

    /** FP32, the default engine cache, device 0, batches up to 8, {@code threads} CPU threads. */
    public static BackendOptions cpu(int threads) {
        return new BackendOptions(threads, false, null, 0, 8);
    }

    /** {@code $E2ENET_ENGINE_CACHE}, else {@code ~/.cache/e2enet/engines}. */
    public static Path defaultEngineCache() {
        String env = System.getenv("E2ENET_ENGINE_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "e2enet", "engines");
    }
}
