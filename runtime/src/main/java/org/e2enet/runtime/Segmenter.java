package org.e2enet.runtime;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.preprocess.CaseInput;
import org.e2enet.core.preprocess.CasePreprocessor;
import org.e2enet.core.preprocess.PreprocessedCase;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.window.WindowedPrediction;

/**
 * Segments whole volumes with an exported model, as nnU-Net predicts: the model's own preprocessing,
 * padding of volumes smaller than the tile, overlapping tiles weighted by a Gaussian, optional mirroring,
 * softmax accumulated and argmax taken slab by slab (memory stays at a tile's depth of accumulators, however
 * large the volume), and the labels put back on the input's grid.
 */
public final class Segmenter implements AutoCloseable {
    private final OnnxModel model;
    private final SegmenterOptions options;
    private final CasePreprocessor preprocessor;
    private final Shape3 tile;
    private final ForkJoinPool pool;
    /** How far channels' spacings and affines may differ, relative, and still be one grid. */
    static final double SAME_GRID_TOLERANCE = 1e-4;
    /** Guards {@link #inFlight} and {@link #closed}. */
    private final Object calls = new Object();
    private int inFlight;
    private boolean closed;

    /** @param model an exported model with plans in its metadata */
    public Segmenter(OnnxModel model, SegmenterOptions options) {
        if (model.plans() == null) {
            throw new BadInputException("the model has no e2enet.plans metadata: export it from a bundle trained on a dataset");
        }
        this.model = model;
        this.options = options;
        this.preprocessor = new CasePreprocessor(model.plans());
        this.tile = Shape3.of(model.spec().patchSize());
        this.pool = new ForkJoinPool(model.threads());
    }

    /**
     * A segmenter that owns its model: {@code try (Segmenter s = Segmenter.open(path, Backend.ORT_CPU, 2, options)) {...}}.
     */
    public static Segmenter open(java.nio.file.Path onnx, Backend backend, int threads, SegmenterOptions options) {
        return own(OnnxModel.open(onnx, backend, threads), options);
    }

    /** A segmenter that owns its model, on {@code backend} ({@link Backend#AUTO} included) with {@code backendOptions}. */
    public static Segmenter open(java.nio.file.Path onnx, Backend backend, BackendOptions backendOptions, SegmenterOptions options) {
        return own(OnnxModel.open(onnx, backend, backendOptions), options);
    }

    private static Segmenter own(OnnxModel model, SegmenterOptions options) {
        try {
            return new Segmenter(model, options);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The model. */
    public OnnxModel model() {
        return model;
    }

    /** How it segments. */
    public SegmenterOptions options() {
        return options;
    }

    /**
     * Segments one case given as one volume per channel (all on the same grid). Safe from several threads at once.
     *
     * @throws IllegalStateException "closed" after {@link #close()} has begun
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted (e.g. {@code
     *     Future.cancel(true)}): checked between the network's tile runs, so a run in flight finishes first
     */
    public Segmentation segment(String id, List<Volume> channels) {
        enter();
        try {
            return segmentOpen(id, channels);
        } finally {
            exit();
        }
    }

    private void enter() {
        synchronized (calls) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            inFlight++;
        }
    }

    private void exit() {
        synchronized (calls) {
            if (--inFlight == 0) {
                calls.notifyAll();
            }
        }
    }

    /** Segmentations running now. */
    int callsInFlight() {
        synchronized (calls) {
            return inFlight;
        }
    }

    private Segmentation segmentOpen(String id, List<Volume> channels) {
        int expected = model.spec().inputChannels();
        if (channels.size() != expected) {
            throw new BadInputException(id + ": " + channels.size() + " channel(s) given, the model expects " + expected);
        }
        for (int c = 0; c < channels.size(); c++) {
            Volume v = channels.get(c);
            if (v.channelCount() != 1) {
                throw new BadInputException(id + ": channel " + c + " holds " + v.channelCount() + " volumes (a 4D image); pass one 3D "
                        + "volume per channel, " + expected + " in all");
            }
            if (!v.shape().equals(channels.get(0).shape())) {
                throw new BadInputException(id + ": channel " + c + " has shape " + v.shape() + ", channel 0 has " + channels.get(0).shape());
            }
            if (!v.geometry().sameGrid(channels.get(0).geometry(), SAME_GRID_TOLERANCE)) {
                throw new BadInputException(id + ": channel " + c + " lies on another grid in space than channel 0 (spacing " + v.spacing()
                        + " against " + channels.get(0).spacing() + ", or another affine)");
            }
            if (v.firstNonFinite(0) >= 0) {
                throw new BadInputException(id + ": channel " + c + " holds NaN or infinite values");
            }
        }
        long t0 = System.nanoTime();
        PreprocessedCase pre = inPool(() -> preprocessor.forward(CaseInput.of(id, channels)));
        long t1 = System.nanoTime();
        WindowedPrediction.Result r = WindowedPrediction.predict(model, pre.channels(), pre.geometry().shape(), tile, options.step(),
                options.mirroring() == SegmenterOptions.Mirroring.ALL_FLIPS, options.batch(), options.probabilities(), model.threads());
        Volume back = inPool(() -> preprocessor.inverseLabels(r.labels(), pre.properties()));
        float[][] probabilities = options.probabilities() ? inPool(() -> preprocessor.inverseProbabilities(r.probabilities(), pre.properties()))
                : null;
        long t2 = System.nanoTime();
        double windowMs = r.networkMs() + r.tilePathMs();
        return new Segmentation(back, probabilities, (t1 - t0) / 1e6, r.networkMs(), r.tilePathMs(), (t2 - t1) / 1e6 - windowMs, r.tiles());
    }

    /**
     * Runs {@code work} in the pool of the model's threads, so that the resampler's parallel passes use as many
     * threads as the backend was given; its exceptions come back as they were thrown.
     */
    private <T> T inPool(Supplier<T> work) {
        try {
            return pool.submit(work::get).get();
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

    /**
     * Refuses new calls, waits for the segmentations in flight to finish, then closes the pool and the model. Closing
     * twice is harmless; a close that waits keeps waiting when interrupted and leaves the thread interrupted.
     */
    @Override
    public void close() {
        boolean interrupted = false;
        synchronized (calls) {
            if (closed) {
                return;
            }
            closed = true;
            while (inFlight > 0) {
                try {
                    calls.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        pool.shutdown();
        model.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
