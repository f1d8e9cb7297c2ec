package org.e2enet.runtime.engine;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * The native TensorRT objects of this process, made once and reused: one runtime, one deserialised engine per
 * cached plan and device, and its execution contexts, handed out to one {@link TensorRtEngine} at a time and taken
 * back on its close.
 *
 * <p>Why reuse instead of delete: bytedeco's TensorRT 10 presets (1.5.12) register no deallocator on the objects
 * that native factories return ({@code createInferRuntime}, {@code deserializeCudaEngine},
 * {@code createExecutionContext}), so {@code close()} on them does nothing and TensorRT 10 has no {@code destroy()}
 * (javacpp-presets issue 1699). Deleting them is impossible from Java; creating them per open would leak an engine's
 * weights and a context's activation memory on the GPU every time ({@code plan} opens up to six engines a variant in
 * one process). Reused, a process holds at most one engine per plan and as many contexts as were open at once.
 */
final class TensorRtSharedEngines {
    private static IRuntime runtime;
    private static final Map<String, Shared> ENGINES = new ConcurrentHashMap<>();
    /** One lock per plan and device: a build takes minutes, and opens of other plans need not wait for it. */
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

    private TensorRtSharedEngines() {
    }

    /** One engine and its idle contexts. */
    static final class Shared {
        private final ICudaEngine engine;
        private final Deque<IExecutionContext> idle = new ArrayDeque<>();

        private Shared(ICudaEngine engine) {
            this.engine = engine;
        }

        /**
         * An idle context, or a new one; null when TensorRT cannot create one (its activation memory for the profile's
         * largest batch does not fit the GPU).
         */
        synchronized IExecutionContext take() {
            IExecutionContext c = idle.poll();
            if (c == null) {
                c = engine.createExecutionContext();
            }
            return c == null || c.isNull() ? null : c;
        }

        /** Takes back a context for the next {@link #take}. */
        synchronized void giveBack(IExecutionContext c) {
            idle.push(c);
        }
    }

    /**
     * The engine of {@code plan} on device {@code deviceId} (the caller has made it current), loaded by {@code load}
     * from this process's runtime the first time.
     */
    static Shared get(Path plan, int deviceId, ILogger logger, Function<IRuntime, ICudaEngine> load) {
        String key = plan.toAbsolutePath() + "@" + deviceId;
        synchronized (LOCKS.computeIfAbsent(key, k -> new Object())) {
            Shared s = ENGINES.get(key);
            if (s == null) {
                s = new Shared(load.apply(runtime(logger)));
                ENGINES.put(key, s);
            }
            return s;
        }
    }

    private static synchronized IRuntime runtime(ILogger logger) {
        if (runtime == null) {
            IRuntime r = nvinfer.createInferRuntime(logger);
            if (r == null || r.isNull()) {
                throw new IllegalStateException("tensorrt: createInferRuntime failed");
            }
            runtime = r;
        }
        return runtime;
    }
}
