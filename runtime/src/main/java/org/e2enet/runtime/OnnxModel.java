package org.e2enet.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.ModelPrecision;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.window.TileBuffers;
import org.e2enet.core.window.TileNetwork;
import org.e2enet.devices.GpuStack;

/**
 * An exported E2ENet ready to run on one backend: its spec and plans come from the model's own metadata, so
 * a deployment cannot apply the wrong preprocessing.
 */
public final class OnnxModel implements TileNetwork, AutoCloseable {
    /** The order {@code auto} tries: the fastest first. */
    static final List<Backend> AUTO_ORDER = List.of(Backend.TENSORRT, Backend.ORT_TRT, Backend.ORT_CUDA, Backend.ORT_CPU);
    private final TileEngine engine;
    private final ModelSpec spec;
    private final Plans plans;
    private final Backend backend;
    private final String choice;
    private final int threads;
    private final ModelPrecision precision;
    private final EnginePrecision enginePrecision;

    private OnnxModel(TileEngine engine, E2eNetOnnx onnx, Backend backend, BackendOptions options, String choice) {
        this.engine = engine;
        this.enginePrecision = EnginePrecision.of(backend, options, System.getenv());
        this.threads = options.threads();
        this.spec = onnx.spec();
        this.precision = ModelPrecision.of(onnx);
        this.plans = onnx.plans();
        this.backend = backend;
        this.choice = choice;
    }

    /** Opens {@code file} on {@code backend} with {@code threads} CPU threads and otherwise default options. */
    public static OnnxModel open(Path file, Backend backend, int threads) {
        return open(file, backend, BackendOptions.cpu(threads));
    }

    /**
     * Opens {@code file} on {@code backend}; a missing GPU library is a {@link BadInputException} saying what to
     * install. {@link Backend#AUTO} takes native TensorRT, then ONNX Runtime's TensorRT and CUDA providers, then the
     * CPU: the first that the machine's discovery does not rule out ({@link AutoBackend}) and that loads; {@link
     * #choice()} says which it took and why it skipped each faster one.
     */
    public static OnnxModel open(Path file, Backend backend, BackendOptions options) {
        return open(E2eNetOnnx.read(file), backend, options);
    }

    /** {@link #open(Path, Backend, BackendOptions)} for a model already read. */
    public static OnnxModel open(E2eNetOnnx onnx, Backend backend, BackendOptions options) {
        if (backend != Backend.AUTO) {
            return own(engine(onnx, backend, options), onnx, backend, options, backend.label());
        }
        return openAuto(onnx, options, GpuStack.scan(), OrtProviders.probe(options.deviceId()), OnnxModel::engine);
    }

    /** How an engine of one backend is started (a seam for tests: real engines need GPUs). */
    interface EngineStarter {
        TileEngine start(E2eNetOnnx onnx, Backend backend, BackendOptions options);
    }

    /**
     * {@link Backend#AUTO}: the first backend of {@link #AUTO_ORDER} that discovery does not rule out and whose start
     * succeeds. Any failure of a GPU engine's start (a missing library, a TensorRT build or deserialisation that fails,
     * a CUDA error, an engine cache that cannot be written) moves on to the next, and {@link #choice()} names it; only
     * the CPU's failure, the last resort, is thrown.
     */
    static OnnxModel openAuto(E2eNetOnnx onnx, BackendOptions options, GpuStack stack, List<OrtProviders.Status> providers,
                              EngineStarter starter) {
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
            return own(engine, onnx, b, options, "auto chose " + b.label() + why);
        }
        throw new IllegalStateException("unreachable: ort-cpu is always tried");
    }

    /** The model around a started {@code engine}; the engine is closed if the model cannot be made. */
    private static OnnxModel own(TileEngine engine, E2eNetOnnx onnx, Backend backend, BackendOptions options, String choice) {
        try {
            return new OnnxModel(engine, onnx, backend, options, choice);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
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
            throw new BadInputException("tensorrt: " + missing);
        }
        return TensorRtEngine.open(onnx, options);
    }

    /** The network's spec. */
    public ModelSpec spec() {
        return spec;
    }

    /** The precision it computes in (FP32 as exported, or FP16/INT8 after calibration). */
    public ModelPrecision precision() {
        return precision;
    }

    /** The arithmetic its engine computes in (TF32 or FP16 make parity use the reduced-precision rules). */
    public EnginePrecision enginePrecision() {
        return enginePrecision;
    }

    /** The preprocessing it was trained with (null for a model exported from a bundle without plans). */
    public Plans plans() {
        return plans;
    }

    /** CPU threads it was opened with; the sliding window's softmax and accumulation use as many. */
    public int threads() {
        return threads;
    }

    /** The backend it runs on. */
    public Backend backend() {
        return backend;
    }

    /** How the backend was chosen: its name, or for {@code auto} which one and why the faster ones were skipped. */
    public String choice() {
        return choice;
    }

    /** Head-0 logits (N, classes, D, H, W) of an input (N, C, D, H, W). */
    @Override
    public float[] run(float[] input, long[] shape) {
        return engine.run(input, shape);
    }

    /** Buffers that the engine reads and writes in place where it can (ONNX Runtime), heap arrays otherwise. */
    @Override
    public TileBuffers buffers(long[] shape) {
        TileBuffers own = engine.buffers(shape, classes());
        return own != null ? own : TileNetwork.super.buffers(shape);
    }

    /** The spec's number of classes. */
    @Override
    public int classes() {
        return spec.numClasses();
    }

    /** Releases the engine; closing twice is harmless. */
    @Override
    public void close() {
        engine.close();
    }
}
