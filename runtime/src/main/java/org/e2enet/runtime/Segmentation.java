package org.e2enet.runtime;

import org.e2enet.core.volume.Volume;

/**
 * The result of segmenting one case.
 *
 * @param labels label map (uint8) on the input's grid, with its geometry
 * @param probabilities class probabilities on the input's grid, or null when not requested
 * @param preprocessMs time to crop, normalise and resample
 * @param networkMs time inside the network's runs (tiles, mirroring)
 * @param tilePathMs the sliding window around them: tiles copied in, softmax, Gaussian accumulation, argmax
 * @param postprocessMs time to put the result back on the input grid
 * @param tiles tiles run
 */
public record Segmentation(Volume labels, float[][] probabilities, double preprocessMs, double networkMs, double tilePathMs,
                           double postprocessMs, int tiles) {
}
