package org.e2enet.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import org.e2enet.core.io.BackendUnavailableException;
import org.e2enet.core.io.ModelLoadException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.ModelPrecision;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.window.TileBuffers;
import org.e2enet.core.window.TileNetwork;
import org.e2enet.runtime.engine.Engines;
import org.e2enet.runtime.engine.TileEngine;

/**
 * An exported E2ENet loaded on one backend: it owns the native session (or TensorRT engine) and the pool of CPU
 * threads the sliding window uses. Its spec and plans come from the model's own metadata, so a deployment cannot
 * apply the wrong preprocessing.
 *
 * <p><b>Threads and ownership.</b> An {@code OnnxModel} is thread-safe: any number of {@link Segmenter}s, on any
 * threads, may use one model at once; it is the expensive object (opening takes about a second for the tiny model,
 * much longer for a TensorRT build), so a service opens it once and keeps it. Whoever opens it closes it: {@link
 * #close()} refuses new runs, waits for the runs in flight, then frees the native memory. A {@link Segmenter} made
 * with {@link Segmenter#Segmenter(OnnxModel, SegmenterOptions)} does not close the model; one made with {@link
 * Segmenter#open} owns its model.
 */
public final class OnnxModel implements TileNetwork, AutoCloseable {
    private final TileEngine engine;
    private final ModelSpec spec;
    private final Plans plans;
    private final Backend backend;
    private final String choice;
    private final int threads;
    private final ModelPrecision precision;
    private final EnginePrecision enginePrecision;
    private final ForkJoinPool pool;
    private final CallGate runs = new CallGate();

    private OnnxModel(Engines.Started started, E2eNetOnnx onnx, BackendOptions options) {
        this.engine = started.engine();
        this.backend = started.backend();
        this.choice = started.choice();
        this.enginePrecision = EnginePrecision.of(backend, options, System.getenv());
        this.threads = options.threads();
        this.spec = onnx.spec();
        this.precision = ModelPrecision.of(onnx);
        this.plans = onnx.plans();
        this.pool = new ForkJoinPool(threads);
    }

    /**
     * Opens {@code file} on {@code backend} with {@code threads} CPU threads and otherwise default options.
     *
     * @param file an ONNX model exported by e2enet
     * @param backend where it runs
     * @param threads CPU threads, at least 1
     * @return the model, which the caller closes
     * @throws ModelLoadException when the file is missing, not ONNX, not an e2enet model, or refused by the engine
     * @throws BackendUnavailableException when {@code backend} cannot run on this machine
     * @throws IllegalArgumentException when {@code threads} is below 1
     */
    public static OnnxModel open(Path file, Backend backend, int threads) {
        return open(file, backend, BackendOptions.cpu(threads));
    }

    /**
     * Opens {@code file} on {@code backend}. {@link Backend#AUTO} takes native TensorRT, then ONNX Runtime's TensorRT
     * and CUDA providers, then the CPU: the first that the machine's discovery does not rule out and that loads;
     * {@link #choice()} says which it took and why it skipped each faster one.
     *
     * @param file an ONNX model exported by e2enet
     * @param backend where it runs
     * @param options how the backend runs it
     * @return the model, which the caller closes
     * @throws ModelLoadException when the file is missing, not ONNX, not an e2enet model, or refused by the engine
     * @throws BackendUnavailableException when {@code backend} cannot run on this machine (a missing GPU library, the
     *     native TensorRT jars absent); its message says what to install
     */
    public static OnnxModel open(Path file, Backend backend, BackendOptions options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(options, "options");
        E2eNetOnnx onnx = E2eNetOnnx.read(file);
        Engines.Started started = Engines.start(onnx, backend, options);
        try {
            return new OnnxModel(started, onnx, options);
        } catch (RuntimeException e) {
            started.engine().close();
            throw e;
        }
    }

    /**
     * Opens a model held in memory (read from a database or an archive, say). The bytes pass through a private
     * temporary file, deleted before this returns, since the engines read models from files; messages about the model
     * name that file.
     *
     * @param model the bytes of an ONNX model exported by e2enet
     * @param backend where it runs
     * @param options how the backend runs it
     * @return the model, which the caller closes
     * @throws ModelLoadException when the bytes are not an e2enet ONNX model, or the engine refuses it
     * @throws BackendUnavailableException when {@code backend} cannot run on this machine
     * @throws UncheckedIOException when the temporary file cannot be written
     */
    public static OnnxModel open(byte[] model, Backend backend, BackendOptions options) {
        Objects.requireNonNull(model, "model");
        Path tmp;
        try {
            tmp = Files.createTempFile("e2enet-model-", ".onnx");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model's bytes to a temporary file", e);
        }
        try {
            Files.write(tmp, model);
            return open(tmp, backend, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model's bytes to " + tmp, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                tmp.toFile().deleteOnExit();
            }
        }
    }

    /** @return the network's spec */
    public ModelSpec spec() {
        return spec;
    }

    /** @return the precision it computes in (FP32 as exported, or FP16/INT8 after calibration) */
    public ModelPrecision precision() {
        return precision;
    }

    /** @return the arithmetic its engine computes in (TF32 or FP16 make parity use the reduced-precision rules) */
    public EnginePrecision enginePrecision() {
        return enginePrecision;
    }

    /** @return the preprocessing it was trained with, or null for a model exported from a bundle without plans */
    public Plans plans() {
        return plans;
    }

    /** @return the CPU threads it was opened with; the sliding window's softmax and accumulation use as many */
    public int threads() {
        return threads;
    }

    /** @return the backend it runs on ({@link Backend#AUTO} resolved) */
    public Backend backend() {
        return backend;
    }

    /** @return how the backend was chosen: its name, or for {@code auto} which one and why the faster ones were skipped */
    public String choice() {
        return choice;
    }

    /**
     * Admits a segmentation on this model: {@link #close()} waits for it as for a run, so that the pool and the engine
     * outlive it.
     *
     * @throws IllegalStateException "closed" once {@link #close()} has begun
     */
    void enter() {
        runs.enter();
    }

    /** Ends a segmentation admitted by {@link #enter()}. */
    void exit() {
        runs.exit();
    }

    /** The pool of {@link #threads()} threads that segmentations on this model compute in. */
    ForkJoinPool pool() {
        return pool;
    }

    /**
     * Head-0 logits of a batch of tiles.
     *
     * @param input the tiles, (N, C, D, H, W) flattened
     * @param shape N, C, D, H and W
     * @return logits (N, classes, D, H, W) flattened
     * @throws IllegalStateException "closed" once {@link #close()} has begun
     */
    @Override
    public float[] run(float[] input, long[] shape) {
        runs.enter();
        try {
            return engine.run(input, shape);
        } finally {
            runs.exit();
        }
    }

    /**
     * Buffers that the engine reads and writes in place where it can (ONNX Runtime), heap arrays otherwise; their
     * runs count as this model's runs for {@link #close()}.
     *
     * @param shape the input's N, C, D, H and W
     * @return buffers the caller closes
     */
    @Override
    public TileBuffers buffers(long[] shape) {
        TileBuffers own = engine.buffers(shape, classes());
        return own != null ? new GatedBuffers(own) : TileNetwork.super.buffers(shape);
    }

    /** @return the spec's number of classes, background included */
    @Override
    public int classes() {
        return spec.numClasses();
    }

    /**
     * Refuses new runs and segmentations, waits for those in flight, then releases the engine and the thread pool. Closing twice is
     * harmless; a close that waits keeps waiting when interrupted and leaves the thread interrupted.
     */
    @Override
    public void close() {
        if (runs.close()) {
            pool.shutdown();
            engine.close();
        }
    }

    /** An engine's own buffers whose runs pass through the model's gate. */
    private final class GatedBuffers implements TileBuffers {
        private final TileBuffers inner;

        GatedBuffers(TileBuffers inner) {
            this.inner = inner;
        }

        @Override
        public FloatBuffer input() {
            return inner.input();
        }

        @Override
        public FloatBuffer run() {
            runs.enter();
            try {
                return inner.run();
            } finally {
                runs.exit();
            }
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
