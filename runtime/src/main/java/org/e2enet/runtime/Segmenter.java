package org.e2enet.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.e2enet.core.io.BackendUnavailableException;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.InvalidImageException;
import org.e2enet.core.io.ModelLoadException;
import org.e2enet.core.preprocess.CaseInput;
import org.e2enet.core.preprocess.CasePreprocessor;
import org.e2enet.core.preprocess.PreprocessedCase;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.window.WindowSettings;
import org.e2enet.core.window.WindowedPrediction;

/**
 * Segments whole volumes with an exported model, as nnU-Net predicts: the model's own preprocessing,
 * padding of volumes smaller than the tile, overlapping tiles weighted by a Gaussian, optional mirroring,
 * softmax accumulated and argmax taken slab by slab (memory stays at a tile's depth of accumulators, however
 * large the volume), and the labels put back on the input's grid.
 *
 * <p><b>Threads.</b> A {@code Segmenter} is thread-safe: concurrent {@link #segment} calls give the results a
 * sequential run gives. It admits calls while their estimated memory fits {@link SegmenterOptions#memoryBudget()}
 * and queues the rest in arrival order. It is cheap: the {@link OnnxModel} holds the native session and threads.
 *
 * <p><b>Ownership.</b> {@link #Segmenter(OnnxModel, SegmenterOptions)} uses a model the caller owns and closes;
 * {@link #open} opens a model that the segmenter owns and closes with itself.
 *
 * <p><b>Errors.</b> {@link InvalidImageException} for an input that cannot be segmented, {@link ModelLoadException}
 * and {@link BackendUnavailableException} when opening, {@link CancellationException} when interrupted, {@link
 * SegmentationTimeoutException} past a time limit, {@link IllegalStateException} "closed" after {@link #close()}.
 */
public final class Segmenter implements AutoCloseable {
    /** How far channels' spacings and affines may differ, relative, and still be one grid. */
    static final double SAME_GRID_TOLERANCE = 1e-4;
    private final OnnxModel model;
    private final boolean ownsModel;
    private final SegmenterOptions options;
    private final CasePreprocessor preprocessor;
    private final Shape3 tile;
    private final MemoryAdmission admission;
    private final CallGate calls = new CallGate();

    /**
     * A segmenter on a model the caller owns: closing the segmenter leaves the model open.
     *
     * @param model an exported model with plans in its metadata
     * @param options how to segment
     * @throws ModelLoadException when the model carries no preprocessing plans
     * @throws NullPointerException when an argument is null
     */
    public Segmenter(OnnxModel model, SegmenterOptions options) {
        this(model, options, false);
    }

    private Segmenter(OnnxModel model, SegmenterOptions options, boolean ownsModel) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        if (model.plans() == null) {
            throw new ModelLoadException("the model has no e2enet.plans metadata: export it from a bundle trained on a dataset", null);
        }
        this.model = model;
        this.ownsModel = ownsModel;
        this.options = options;
        this.preprocessor = new CasePreprocessor(model.plans());
        this.tile = Shape3.of(model.spec().patchSize());
        this.admission = new MemoryAdmission(options.memoryBudget());
    }

    /**
     * A segmenter that owns its model: {@code try (Segmenter s = Segmenter.open(path, Backend.ORT_CPU, 2, options)) {...}}.
     *
     * @param onnx an ONNX model exported by e2enet
     * @param backend where it runs
     * @param threads CPU threads
     * @param options how to segment
     * @return the segmenter, which closes the model with itself
     * @throws ModelLoadException when the model cannot be loaded or has no plans
     * @throws BackendUnavailableException when {@code backend} cannot run on this machine
     */
    public static Segmenter open(Path onnx, Backend backend, int threads, SegmenterOptions options) {
        return open(onnx, backend, BackendOptions.cpu(threads), options);
    }

    /**
     * A segmenter that owns its model, on {@code backend} ({@link Backend#AUTO} included) with {@code backendOptions}.
     *
     * @param onnx an ONNX model exported by e2enet
     * @param backend where it runs
     * @param backendOptions how the backend runs it
     * @param options how to segment
     * @return the segmenter, which closes the model with itself
     * @throws ModelLoadException when the model cannot be loaded or has no plans
     * @throws BackendUnavailableException when {@code backend} cannot run on this machine
     */
    public static Segmenter open(Path onnx, Backend backend, BackendOptions backendOptions, SegmenterOptions options) {
        Objects.requireNonNull(options, "options");
        OnnxModel model = OnnxModel.open(onnx, backend, backendOptions);
        try {
            return new Segmenter(model, options, true);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** @return the model */
    public OnnxModel model() {
        return model;
    }

    /** @return how it segments */
    public SegmenterOptions options() {
        return options;
    }

    /**
     * Segments one case given as one volume per channel, all on the same grid, without a time limit.
     *
     * @param id the case's name, used in messages
     * @param channels one 3D volume per input channel of the model, in order
     * @return the labels (and probabilities when asked for) on the input's grid
     * @throws InvalidImageException when the channels do not fit the model or each other (count, 4D, shape, grid,
     *     NaN)
     * @throws BadInputException when the case needs more memory than the JVM's whole heap
     * @throws CancellationException when the calling thread is interrupted ({@code Future.cancel(true)}): the
     *     network's run in flight on ONNX Runtime is stopped, on native TensorRT the tile finishes first
     * @throws IllegalStateException "closed" once {@link #close()} has begun (or the model was closed)
     * @throws NullPointerException when an argument is null
     */
    public Segmentation segment(String id, List<Volume> channels) {
        return segment(id, channels, null);
    }

    /**
     * {@link #segment(String, List)} within {@code timeLimit}, counted from this call (the wait for memory included).
     *
     * @param id the case's name, used in messages
     * @param channels one 3D volume per input channel of the model, in order
     * @param timeLimit the most the call may take, or null for no limit
     * @return the labels (and probabilities when asked for) on the input's grid
     * @throws SegmentationTimeoutException when the limit passes first: during ONNX Runtime's run, within about one
     *     10 ms tick; during preprocessing or resampling back, when that step ends
     * @throws InvalidImageException when the channels do not fit the model or each other
     * @throws BadInputException when the case needs more memory than the JVM's whole heap
     * @throws CancellationException when the calling thread is interrupted
     * @throws IllegalStateException "closed" once {@link #close()} has begun
     * @throws NullPointerException when {@code id} or {@code channels} is null
     */
    public Segmentation segment(String id, List<Volume> channels, Duration timeLimit) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channels, "channels");
        checkChannels(id, channels);
        long need = CaseMemory.estimate(channels, model.plans(), model.classes(), options.probabilities());
        CaseMemory.refuseBeyondHeap(need, id, null);
        try (Call call = begin(id, need, timeLimit)) {
            return call.run(channels);
        }
    }

    /**
     * Starts a call: refused after close, watched for interrupts and its time limit, admitted by memory.
     *
     * @param need the case's estimated bytes
     */
    Call begin(String id, long need, Duration timeLimit) {
        calls.enter();
        CallWatch watch = null;
        boolean modelEntered = false;
        try {
            model.enter();
            modelEntered = true;
            watch = CallWatch.start(id, timeLimit);
            MemoryAdmission.Admitted admitted = admission.admit(need, watch);
            return new Call(id, watch, admitted);
        } catch (RuntimeException | Error e) {
            if (watch != null) {
                watch.close();
            }
            if (modelEntered) {
                model.exit();
            }
            calls.exit();
            throw e;
        }
    }

    /** One admitted call. */
    final class Call implements AutoCloseable {
        private final String id;
        private final CallWatch watch;
        private final MemoryAdmission.Admitted admitted;

        private Call(String id, CallWatch watch, MemoryAdmission.Admitted admitted) {
            this.id = id;
            this.watch = watch;
            this.admitted = admitted;
        }

        /** Checks and segments the case's channels (read from files after admission). */
        Segmentation segment(List<Volume> channels) {
            checkChannels(id, channels);
            return run(channels);
        }

        /** Segments channels already checked; a stop by the watcher surfaces as its cancellation. */
        private Segmentation run(List<Volume> channels) {
            try {
                return segmentChecked(id, channels, watch);
            } catch (RuntimeException e) {
                if (watch.fired() && !(e instanceof CancellationException)) {
                    CancellationException stopped = watch.stopped();
                    stopped.initCause(e);
                    throw stopped;
                }
                throw e;
            }
        }

        @Override
        public void close() {
            admitted.close();
            watch.close();
            model.exit();
            calls.exit();
        }
    }

    private void checkChannels(String id, List<Volume> channels) {
        int expected = model.spec().inputChannels();
        if (channels.size() != expected) {
            throw new InvalidImageException(id + ": " + channels.size() + " channel(s) given, the model expects " + expected, null);
        }
        for (int c = 0; c < channels.size(); c++) {
            Volume v = Objects.requireNonNull(channels.get(c), "channel " + c);
            if (v.channelCount() != 1) {
                throw new InvalidImageException(id + ": channel " + c + " holds " + v.channelCount() + " volumes (a 4D image); pass one 3D "
                        + "volume per channel, " + expected + " in all", null);
            }
            if (!v.shape().equals(channels.get(0).shape())) {
                throw new InvalidImageException(id + ": channel " + c + " has shape " + v.shape() + ", channel 0 has " + channels.get(0).shape(),
                        null);
            }
            if (!v.geometry().sameGrid(channels.get(0).geometry(), SAME_GRID_TOLERANCE)) {
                throw new InvalidImageException(id + ": channel " + c + " lies on another grid in space than channel 0 (spacing " + v.spacing()
                        + " against " + channels.get(0).spacing() + ", or another affine)", null);
            }
            if (v.firstNonFinite(0) >= 0) {
                throw new InvalidImageException(id + ": channel " + c + " holds NaN or infinite values", null);
            }
        }
    }

    private Segmentation segmentChecked(String id, List<Volume> channels, CallWatch watch) {
        long t0 = System.nanoTime();
        PreprocessedCase pre = inPool(() -> preprocessor.forward(CaseInput.of(id, channels)));
        long t1 = System.nanoTime();
        WindowSettings window = WindowSettings.reference(tile).withStep(options.step())
                .withMirroring(options.mirroring() == SegmenterOptions.Mirroring.ALL_FLIPS).withBatch(options.batch())
                .withProbabilities(options.probabilities());
        WindowedPrediction.Result r = WindowedPrediction.predict(model, pre.channels(), pre.geometry().shape(), window,
                model.threads() > 1 ? model.pool() : null, watch);
        Volume back = inPool(() -> preprocessor.inverseLabels(r.labels(), pre.properties()));
        float[][] probabilities = options.probabilities() ? inPool(() -> preprocessor.inverseProbabilities(r.probabilities(), pre.properties()))
                : null;
        long t2 = System.nanoTime();
        double windowMs = r.networkMs() + r.tilePathMs();
        return new Segmentation(back, probabilities, (t1 - t0) / 1e6, r.networkMs(), r.tilePathMs(), (t2 - t1) / 1e6 - windowMs, r.tiles());
    }

    /**
     * Runs {@code work} in the model's pool, so that the resampler's parallel passes use as many threads as the
     * backend was given; its exceptions come back as they were thrown.
     */
    private <T> T inPool(Supplier<T> work) {
        ForkJoinPool pool = model.pool();
        try {
            return pool.submit(work::get).get();
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException c = new CancellationException("interrupted");
            c.initCause(e);
            throw c;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Segmentations admitted by memory now (the rest of {@link #callsInFlight()} wait their turn). */
    int casesAdmitted() {
        return admission.cases();
    }

    /** Segmentations running or queued now. */
    int callsInFlight() {
        return calls.inFlight();
    }

    /**
     * Refuses new calls, waits for the segmentations in flight to finish, then closes the model if this segmenter
     * owns it. Closing twice is harmless; a close that waits keeps waiting when interrupted and leaves the thread
     * interrupted.
     */
    @Override
    public void close() {
        if (calls.close() && ownsModel) {
            model.close();
        }
    }
}
