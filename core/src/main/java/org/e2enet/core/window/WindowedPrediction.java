package org.e2enet.core.window;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ForkJoinPool;
import org.e2enet.core.preprocess.BoundingBox;
import org.e2enet.core.volume.Shape3;

/**
 * nnU-Net's sliding-window prediction of a preprocessed volume, whatever runs the network: volumes smaller
 * than the tile are padded with zeros (centred), overlapping tiles are weighted by a Gaussian, mirroring is
 * optional, and softmax is accumulated and reduced to labels slab by slab, so memory stays at one tile's
 * depth of accumulators. The training model and the exported one go through this same code, which is what
 * lets parity compare their whole-volume predictions.
 */
public final class WindowedPrediction {
    private WindowedPrediction() {
    }

    /**
     * The outcome.
     *
     * @param labels argmax labels on the input grid
     * @param probabilities per-class probabilities on the input grid, or null when not asked for
     * @param tiles number of tiles run
     * @param networkMs time inside the network's runs
     * @param tilePathMs the rest of the sliding window: tiles copied in (and flipped), softmax, Gaussian
     *     accumulation, argmax
     */
    public record Result(byte[] labels, float[][] probabilities, int tiles, double networkMs, double tilePathMs) {
    }

    /**
     * The labels of one volume with {@link WindowSettings#reference the reference settings} that parity compares
     * under. The trainer's golden segmentations and the runtime's check both use it.
     */
    public static byte[] referenceLabels(TileNetwork network, float[][] channels, Shape3 shape, Shape3 tile) {
        return predict(network, channels, shape, WindowSettings.reference(tile), 1).labels();
    }

    /**
     * Predicts one volume.
     *
     * @param network the network
     * @param channels the preprocessed channels on {@code shape}
     * @param shape their grid
     * @param settings tile, step, mirroring, tiles per call and whether to return probabilities
     * @param threads threads for the softmax, accumulation and argmax between the network's runs (the result
     *     does not depend on it)
     * @throws CancellationException when the calling thread is interrupted: checked before each network call
     */
    public static Result predict(TileNetwork network, float[][] channels, Shape3 shape, WindowSettings settings, int threads) {
        ForkJoinPool pool = threads > 1 ? new ForkJoinPool(threads) : null;
        try {
            return predict(network, channels, shape, settings, pool, Checkpoint.INTERRUPTION);
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
        }
    }

    /**
     * Called before each run of the network, on the thread that predicts: it throws to stop the prediction.
     */
    @FunctionalInterface
    public interface Checkpoint {
        /** Stops when the thread is interrupted, with a {@link CancellationException} saying how far it got. */
        Checkpoint INTERRUPTION = (done, total) -> {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("interrupted after " + done + " of " + total + " tiles");
            }
        };

        /**
         * @param done tiles predicted so far
         * @param total tiles in all
         */
        void check(int done, int total);
    }

    /**
     * {@link #predict(TileNetwork, float[][], Shape3, WindowSettings, int)} in a pool the
     * caller owns (null: the calling thread alone), stopped by {@code checkpoint}.
     *
     * @param pool threads for the softmax, accumulation and argmax, or null
     * @param checkpoint called before each network call; what it throws ends the prediction
     * @return the labels (and probabilities) on {@code shape}, with timings
     */
    public static Result predict(TileNetwork network, float[][] channels, Shape3 shape, WindowSettings settings, ForkJoinPool pool,
                                 Checkpoint checkpoint) {
        long t0 = System.nanoTime();
        Shape3 tile = settings.tile();
        int batch = settings.batch();
        boolean probabilities = settings.probabilities();
        PaddedVolume padded = PaddedVolume.of(channels, shape, tile);
        Shape3 pshape = padded.shape();
        BoundingBox inside = padded.inside();
        float[][] input = padded.channels();
        List<int[]> tiles = SlidingWindow.tiles(pshape, tile, settings.step());
        SlabAccumulator acc = new SlabAccumulator(pshape, tile, network.classes(), probabilities, pool);
        float[] gaussian = SlidingWindow.gaussian(tile);
        long networkNs;
        try (TilePredictor predictor = new TilePredictor(network, tile, settings.mirroring())) {
            for (int start = 0; start < tiles.size();) {
                checkpoint.check(start, tiles.size());
                // a batch never spans two tile depths: the accumulator holds one tile's depth
                int z = tiles.get(start)[0];
                int end = start;
                while (end < tiles.size() && end - start < batch && tiles.get(end)[0] == z) {
                    end++;
                }
                List<int[]> group = new ArrayList<>(tiles.subList(start, end));
                start = end;
                acc.advanceTo(z);
                predictor.predictInto(input, pshape, group, acc, gaussian);
            }
            acc.finish();
            networkNs = predictor.networkNs();
        }
        byte[] labels = inside.crop(acc.labels(), pshape);
        float[][] p = null;
        if (probabilities) {
            p = new float[acc.probabilities().length][];
            for (int c = 0; c < p.length; c++) {
                p[c] = inside.crop(acc.probabilities()[c], pshape);
            }
        }
        double totalMs = (System.nanoTime() - t0) / 1e6;
        return new Result(labels, p, tiles.size(), networkNs / 1e6, totalMs - networkNs / 1e6);
    }
}
