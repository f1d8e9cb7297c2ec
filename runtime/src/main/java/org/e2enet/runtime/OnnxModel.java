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

    private OnnxModel(TileEngine engine, E2eNetOnnx onnx, Backend backend, String choice, int threads) {
        this.engine = engine;
        this.threads = threads;
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
            return new OnnxModel(engine(onnx, backend, options), onnx, backend, backend.label(), options.threads());
        }
        List<String> skipped = new ArrayList<>();
        GpuStack stack = GpuStack.scan();
        List<OrtProviders.Status> providers = OrtProviders.probe();
        for (Backend b : AUTO_ORDER) {
            String ruledOut = AutoBackend.skipReason(b, stack, providers);
            if (ruledOut != null) {
                skipped.add(b.label() + " unavailable: " + ruledOut);
                continue;
            }
            try {
                TileEngine engine = engine(onnx, b, options);
                String why = skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")";
                return new OnnxModel(engine, onnx, b, "auto chose " + b.label() + why, options.threads());
            } catch (BadInputException e) {
                if (b == Backend.ORT_CPU) {
                    throw e;
                }
                skipped.add(b.label() + " unavailable: " + shortReason(e.getMessage()));
            }
        }
        throw new IllegalStateException("unreachable: ort-cpu is always tried");
    }

    private static String shortReason(String message) {
        int paren = message.indexOf('(');
        int close = message.indexOf(')', paren + 1);
        return paren >= 0 && close > paren ? message.substring(paren + 1, close) : message;
    }

    private static TileEngine engine(E2eNetOnnx onnx, Backend backend, BackendOptions options) {
        return backend == Backend.TENSORRT ? TensorRtEngine.open(onnx, options)
                : OrtEngine.open(onnx.file(), backend, options);
    }

    /** The network's spec. */
    public ModelSpec spec() {
        return spec;
    }

    /** The precision it computes in (FP32 as exported, or FP16/INT8 after calibration). */
    public ModelPrecision precision() {
        return precision;
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
