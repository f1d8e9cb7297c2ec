package org.e2enet.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a backend runs the network: {@code BackendOptions.builder().threads(4).fp16(true).build()}, or {@link
 * #cpu(int)}. Immutable; new settings get new builder methods with defaults, so callers keep compiling.
 */
public final class BackendOptions {
    private final int threads;
    private final boolean fp16;
    private final Path engineCache;
    private final int deviceId;
    private final int maxBatch;

    private BackendOptions(Builder b) {
        this.threads = b.threads;
        this.fp16 = b.fp16;
        this.engineCache = b.engineCache != null ? b.engineCache : defaultEngineCache();
        this.deviceId = b.deviceId;
        this.maxBatch = b.maxBatch;
    }

    /**
     * @param threads CPU threads
     * @return FP32, the default engine cache, device 0, batches up to 8, {@code threads} CPU threads
     * @throws IllegalArgumentException when {@code threads} is below 1
     */
    public static BackendOptions cpu(int threads) {
        return builder().threads(threads).build();
    }

    /** @return a builder holding the defaults: 1 thread, FP32, the default engine cache, device 0, batches up to 8 */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.threads = threads;
        b.fp16 = fp16;
        b.engineCache = engineCache;
        b.deviceId = deviceId;
        b.maxBatch = maxBatch;
        return b;
    }

    /** @return intra-op CPU threads for {@code ort-cpu} (spinning off), and the sliding window's threads */
    public int threads() {
        return threads;
    }

    /** @return whether TensorRT ({@code ort-trt}, {@code tensorrt}) may use FP16 kernels */
    public boolean fp16() {
        return fp16;
    }

    /** @return the directory of cached TensorRT engines ({@code ort-trt} and {@code tensorrt}) */
    public Path engineCache() {
        return engineCache;
    }

    /** @return the CUDA device */
    public int deviceId() {
        return deviceId;
    }

    /** @return the largest tile batch a TensorRT engine is built for */
    public int maxBatch() {
        return maxBatch;
    }

    /** @return {@code $E2ENET_ENGINE_CACHE}, else {@code ~/.cache/e2enet/engines} */
    public static Path defaultEngineCache() {
        String env = System.getenv("E2ENET_ENGINE_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "e2enet", "engines");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackendOptions x && x.threads == threads && x.fp16 == fp16 && x.engineCache.equals(engineCache)
                && x.deviceId == deviceId && x.maxBatch == maxBatch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(threads, fp16, engineCache, deviceId, maxBatch);
    }

    @Override
    public String toString() {
        return "threads " + threads + ", fp16 " + fp16 + ", engine cache " + engineCache + ", device " + deviceId + ", max batch " + maxBatch;
    }

    /** Builds {@link BackendOptions}; each setter checks its value. */
    public static final class Builder {
        private int threads = 1;
        private boolean fp16;
        private Path engineCache;
        private int deviceId;
        private int maxBatch = 8;

        private Builder() {
        }

        /**
         * @param value CPU threads, at least 1
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder threads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + value);
            }
            threads = value;
            return this;
        }

        /**
         * @param value whether TensorRT may use FP16 kernels
         * @return this builder
         */
        public Builder fp16(boolean value) {
            fp16 = value;
            return this;
        }

        /**
         * @param dir the directory of cached TensorRT engines, or null for {@link #defaultEngineCache()}
         * @return this builder
         */
        public Builder engineCache(Path dir) {
            engineCache = dir;
            return this;
        }

        /**
         * @param value the CUDA device, at least 0
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder deviceId(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("deviceId must be >= 0, got " + value);
            }
            deviceId = value;
            return this;
        }

        /**
         * @param value the largest tile batch a TensorRT engine is built for, at least 1
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder maxBatch(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxBatch must be >= 1, got " + value);
            }
            maxBatch = value;
            return this;
        }

        /** @return the options */
        public BackendOptions build() {
            return new BackendOptions(this);
        }
    }
}
