package org.e2enet.trainer.data;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.e2enet.core.volume.Shape3;

/**
 * Produces training batches on a background thread, ahead of the compute. Batch t is drawn from its own
 * random stream, a function of the seed and t only (never of timing or of earlier draws), so a resumed run
 * sees exactly the batches an uninterrupted run would without any generator state in the checkpoint.
 */
public final class BatchSource implements AutoCloseable {
    /** Batches made ahead of the one the compute takes. */
    private static final int AHEAD = 3;
    private final Assembler assembler;
    private final long seed;
    private final long lastIteration;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "e2enet-batches");
        t.setDaemon(true);
        return t;
    });
    private final Deque<CompletableFuture<Batch>> ahead = new ArrayDeque<>();
    private long nextToSubmit;

    /**
     * @param firstIteration the iteration of the first batch produced
     * @param lastIteration one past the iteration of the last batch produced
     */
    public BatchSource(PatchSampler sampler, Augmenter augmenter, int batchSize, long seed, long firstIteration, long lastIteration) {
        this.assembler = new Assembler(sampler, augmenter, batchSize);
        this.seed = seed;
        this.lastIteration = lastIteration;
        this.nextToSubmit = firstIteration;
        for (int i = 0; i < AHEAD; i++) {
            submitNext();
        }
    }

    private void submitNext() {
        if (nextToSubmit < lastIteration) {
            long t = nextToSubmit++;
            ahead.add(CompletableFuture.supplyAsync(() -> make(t), worker));
        }
    }

    /** The random stream of batch t (SplitMix64, seeded from the run's seed and t). */
    public static SplittableRandom rngFor(long seed, long iteration) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + iteration * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L);
    }

    /** Batch t, built on the calling thread. */
    public Batch make(long t) {
        return assembler.make(rngFor(seed, t));
    }

    /** Builds a batch of sampled, augmented patches from one random stream. */
    public static final class Assembler {
        private final PatchSampler sampler;
        private final Augmenter augmenter;
        private final int batchSize;

        /** @param batchSize patches per batch */
        public Assembler(PatchSampler sampler, Augmenter augmenter, int batchSize) {
            this.sampler = sampler;
            this.augmenter = augmenter;
            this.batchSize = batchSize;
        }

        /** One batch drawn with {@code rng}. */
        public Batch make(SplittableRandom rng) {
            Shape3 p = sampler.patch();
            int n = p.voxelsInt();
            int channels = -1;
            float[] images = null;
            float[] labels = new float[batchSize * n];
            for (int b = 0; b < batchSize; b++) {
                Patch patch = augmenter.apply(sampler.sample(rng, PatchSampler.forceForeground(b, batchSize)), rng);
                if (images == null) {
                    channels = patch.channels().length;
                    images = new float[batchSize * channels * n];
                }
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(patch.channels()[c], 0, images, (b * channels + c) * n, n);
                }
                for (int i = 0; i < n; i++) {
                    labels[b * n + i] = patch.label()[i];
                }
            }
            return new Batch(images, labels, new long[] {batchSize, channels, p.d(), p.h(), p.w()});
        }
    }

    /** The next batch (waits for it); the time waited is what data loading stalls the compute. */
    public Batch next() throws InterruptedException {
        CompletableFuture<Batch> f = ahead.poll();
        if (f == null) {
            throw new IllegalStateException("no batch left: the source ends at iteration " + lastIteration);
        }
        submitNext();
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        ahead.forEach(f -> f.cancel(false));
        worker.shutdownNow();
    }
}
