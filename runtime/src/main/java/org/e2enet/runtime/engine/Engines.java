package org.e2enet.runtime.engine;

import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.BackendUnavailableException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.devices.GpuStack;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.BackendOptions;

/**
 * Starts the engine of one backend for an exported model: the one door from the public API into the engines, which
 * stay package-private.
 */
public final class Engines {
    /**
     * The platform logger ({@link System#getLogger}) of native TensorRT's progress: an engine being built (minutes, once
     * per GPU), a cached engine that does not load.
     */
    public static final String TENSORRT_LOG = "org.e2enet.runtime.tensorrt";
    /** The platform logger of TensorRT's own log, each message at its severity's level (verbose as debug). */
    public static final String TENSORRT_NATIVE_LOG = TENSORRT_LOG + ".nvinfer";

    /** The order {@code auto} tries: the fastest first. */
    static final List<Backend> AUTO_ORDER = List.of(Backend.TENSORRT, Backend.ORT_TRT, Backend.ORT_CUDA, Backend.ORT_CPU);

    private Engines() {
    }

    /**
     * A started engine.
     *
     * @param engine runs the network
     * @param backend the backend it runs on ({@link Backend#AUTO} resolved)
     * @param choice how the backend was chosen: its name, or for {@code auto} which one and why the faster ones were skipped
     */
    public record Started(TileEngine engine, Backend backend, String choice) {
    }

    /** How an engine of one backend is started (a seam for tests: real engines need GPUs). */
    interface Starter {
        TileEngine start(E2eNetOnnx onnx, Backend backend, BackendOptions options);
    }

    /**
     * Starts {@code onnx} on {@code backend}. {@link Backend#AUTO} takes native TensorRT, then ONNX Runtime's TensorRT
     * and CUDA providers, then the CPU: the first that the machine's discovery does not rule out ({@link AutoBackend})
     * and that starts.
     *
     * @throws org.e2enet.core.io.BackendUnavailableException when the backend cannot run on this machine
     * @throws org.e2enet.core.io.ModelLoadException when the engine refuses the model
     */
    public static Started start(E2eNetOnnx onnx, Backend backend, BackendOptions options) {
        if (backend != Backend.AUTO) {
            return new Started(engine(onnx, backend, options), backend, backend.label());
        }
        return auto(onnx, options, GpuStack.scan(), OrtProviders.probe(options.deviceId()), Engines::engine);
    }

    /**
     * {@link Backend#AUTO}: the first backend of {@link #AUTO_ORDER} that discovery does not rule out and whose start
     * succeeds. Any failure of a GPU engine's start (a missing library, a TensorRT build or deserialisation that fails,
     * a CUDA error, an engine cache that cannot be written) moves on to the next, and the choice names it; only the
     * CPU's failure, the last resort, is thrown.
     */
    static Started auto(E2eNetOnnx onnx, BackendOptions options, GpuStack stack, List<OrtProviders.Status> providers, Starter starter) {
        List<String> skipped = new ArrayList<>();
        for (Backend b : AUTO_ORDER) {
            String ruledOut = AutoBackend.skipReason(b, stack, providers);
            if (ruledOut != null) {
                skipped.add(b.label() + " unavailable: " + ruledOut);
                continue;
            }
            TileEngine engine;
            try {
                engine = starter.start(onnx, b, options);
            } catch (RuntimeException | LinkageError e) {
                if (b == Backend.ORT_CPU) {
                    throw e;
                }
                skipped.add(b.label() + " failed: " + failure(e));
                continue;
            }
            String why = skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")";
            return new Started(engine, b, "auto chose " + b.label() + why);
        }
        throw new IllegalStateException("unreachable: ort-cpu is always tried");
    }

    /** A start's failure in a few words: its kind unless ours, and the reason in parentheses when the message has one. */
    private static String failure(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int paren = message.indexOf('(');
        int close = message.indexOf(')', paren + 1);
        String reason = e instanceof BadInputException && paren >= 0 && close > paren ? message.substring(paren + 1, close) : message;
        return e instanceof BadInputException ? reason : e.getClass().getSimpleName() + ": " + reason;
    }

    private static TileEngine engine(E2eNetOnnx onnx, Backend backend, BackendOptions options) {
        if (backend != Backend.TENSORRT) {
            return OrtEngine.open(onnx, backend, options);
        }
        String missing = NativeTensorRtJars.missing();
        if (missing != null) {
            throw new BackendUnavailableException("tensorrt: " + missing, null);
        }
        return TensorRtEngine.open(onnx, options);
    }
}
