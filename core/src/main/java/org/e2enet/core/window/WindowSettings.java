package org.e2enet.core.window;

import org.e2enet.core.volume.Shape3;

/**
 * How {@link WindowedPrediction} runs over a volume. Start from {@link #reference(Shape3)} and change what differs,
 * so that a call site names each setting it changes.
 *
 * @param tile the tile (the network's patch size)
 * @param step tile step as a fraction of the tile (nnU-Net: 0.5)
 * @param mirroring average over the 8 flips
 * @param batch tiles per network call
 * @param probabilities also return the probability maps
 */
public record WindowSettings(Shape3 tile, double step, boolean mirroring, int batch, boolean probabilities) {
    /** nnU-Net's tile step, as a fraction of the tile. */
    public static final double NNUNET_STEP = 0.5;

    /**
     * The reference settings that parity compares under: nnU-Net's step 0.5, no mirroring, one tile per call,
     * labels only. The trainer's golden segmentations, the runtime's check and the accuracy gate use them.
     */
    public static WindowSettings reference(Shape3 tile) {
        return new WindowSettings(tile, NNUNET_STEP, false, 1, false);
    }

    /** The same settings with tile step {@code newStep} (a fraction of the tile). */
    public WindowSettings withStep(double newStep) {
        return new WindowSettings(tile, newStep, mirroring, batch, probabilities);
    }

    /** The same settings averaging over the 8 flips, or not. */
    public WindowSettings withMirroring(boolean on) {
        return new WindowSettings(tile, step, on, batch, probabilities);
    }

    /** The same settings with {@code tiles} tiles per network call. */
    public WindowSettings withBatch(int tiles) {
        return new WindowSettings(tile, step, mirroring, tiles, probabilities);
    }

    /** The same settings returning the probability maps too, or not. */
    public WindowSettings withProbabilities(boolean on) {
        return new WindowSettings(tile, step, mirroring, batch, on);
    }
}
