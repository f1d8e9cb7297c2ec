package org.e2enet.trainer;

import java.util.SplittableRandom;

/**
 * The two draws whose mapping the trainer fixes itself, on top of {@link SplittableRandom}'s SplitMix64 stream,
 * so that batches, augmentation and DSFF topologies stay exactly those of earlier releases (the quickstart's
 * recipe and its measured Dice were made with them): an integer below a bound by {@code floorMod} of one
 * {@code nextLong}, and a normal by Box-Muller from two {@code nextDouble}s. Every other draw is
 * {@code SplittableRandom}'s own.
 */
public final class RandomDraws {
    private RandomDraws() {
    }

    /** Uniform integer in [0, bound): floorMod of one 64-bit draw (bias below 2^-32 for the bounds used here). */
    public static int below(SplittableRandom rng, int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) Math.floorMod(rng.nextLong(), (long) bound);
    }

    /** Standard normal by Box-Muller, one value per call. */
    public static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
