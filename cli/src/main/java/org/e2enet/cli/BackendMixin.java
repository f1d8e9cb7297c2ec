package org.e2enet.cli;

import java.nio.file.Path;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.BackendOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every command that runs an exported model shares: backend, threads, TensorRT precision and cache. */
final class BackendMixin {
    @Option(names = "--backend", defaultValue = "ort-cpu",
            description = "ort-cpu, ort-cuda, ort-trt (ONNX Runtime's TensorRT provider), tensorrt (native) or auto (the fastest "
                    + "that loads, and says which). Default: ${DEFAULT-VALUE}.")
    Backend backend;

    @CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--fp16", description = "Let TensorRT (ort-trt, tensorrt) use FP16 kernels.")
    boolean fp16;

    @Option(names = "--engine-cache", description = "Directory of cached TensorRT engines. Default: $E2ENET_ENGINE_CACHE or ~/.cache/e2enet/engines.")
    Path engineCache;

    @Option(names = "--gpu", defaultValue = "0", description = "CUDA device index. Default: ${DEFAULT-VALUE}.")
    int gpu;

    /** The backend options, with TensorRT engines admitting batches up to {@code maxBatch} (at least 8). */
    BackendOptions options(int maxBatch) {
        return BackendOptions.builder().threads(threads()).fp16(fp16).engineCache(engineCache).deviceId(gpu).maxBatch(Math.max(8, maxBatch)).build();
    }

    int threads() {
        return threads.count();
    }
}
