package org.e2enet.runtime;

import org.e2enet.core.volume.Volume;

/** The result of segmenting one case: the labels on the input's grid, probabilities when asked for, and timings. */
public final class Segmentation {
    private final Volume labels;
    private final float[][] probabilities;
    private final double preprocessMs;
    private final double networkMs;
    private final double tilePathMs;
    private final double postprocessMs;
    private final int tiles;

    Segmentation(Volume labels, float[][] probabilities, double preprocessMs, double networkMs, double tilePathMs, double postprocessMs,
                 int tiles) {
        this.labels = labels;
        this.probabilities = probabilities;
        this.preprocessMs = preprocessMs;
        this.networkMs = networkMs;
        this.tilePathMs = tilePathMs;
        this.postprocessMs = postprocessMs;
        this.tiles = tiles;
    }

    /** @return the label map (uint8) on the input's grid, with its geometry */
    public Volume labels() {
        return labels;
    }

    /** @return class probabilities on the input's grid, one array a class, or null when not asked for */
    public float[][] probabilities() {
        return probabilities;
    }

    /** @return milliseconds to crop, normalise and resample */
    public double preprocessMs() {
        return preprocessMs;
    }

    /** @return milliseconds inside the network's runs (tiles, mirroring) */
    public double networkMs() {
        return networkMs;
    }

    /** @return milliseconds of the sliding window around them: tiles copied in, softmax, Gaussian accumulation, argmax */
    public double tilePathMs() {
        return tilePathMs;
    }

    /** @return milliseconds to put the result back on the input grid */
    public double postprocessMs() {
        return postprocessMs;
    }

    /** @return the tiles run */
    public int tiles() {
        return tiles;
    }
}
