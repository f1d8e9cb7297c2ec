package org.e2enet.runtime.engine;

import java.nio.file.Path;
import java.util.Locale;
import org.e2enet.core.io.Sha256;

/**
 * What a serialised TensorRT engine depends on, and so the name of its file in the engine cache: a plan is
 * only valid for the same model bytes, GPU (name and compute capability), precision, batch range and
 * TensorRT version. Any change gives another file, so a stale engine is never loaded.
 *
 * @param modelSha256 SHA-256 of the ONNX file (hex)
 * @param gpuName the device name as CUDA reports it
 * @param computeCapability major * 10 + minor (e.g. 86)
 * @param precision "fp32" or "fp16"
 * @param maxBatch the largest batch the engine's optimisation profile admits
 * @param tensorRtVersion TensorRT's library version (e.g. 8601)
 */
public record EngineCacheKey(String modelSha256, String gpuName, int computeCapability, String precision, int maxBatch,
                             int tensorRtVersion) {
    /** The cache file name: {@code {sha256 prefix}-{gpu}-sm{cc}-{precision}-b{batch}-trt{version}.plan}. */
    public String fileName() {
        String gpu = gpuName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return String.format(Locale.ROOT, "%s-%s-sm%d-%s-b%d-trt%d.plan", modelSha256.substring(0, 16), gpu.isEmpty() ? "gpu" : gpu,
                computeCapability, precision, maxBatch, tensorRtVersion);
    }

    /** SHA-256 of a file's bytes, in hex. */
    public static String sha256(Path file) {
        return Sha256.of(file);
    }
}
