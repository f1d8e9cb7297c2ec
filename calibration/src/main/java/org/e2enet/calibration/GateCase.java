package org.e2enet.calibration;

import org.e2enet.core.volume.Shape3;

/**
 * A labelled case the accuracy gate segments, already preprocessed with the model's plans.
 *
 * @param id the case id
 * @param channels the preprocessed channels
 * @param labels its ground truth on the same grid
 * @param shape the grid
 */
public record GateCase(String id, float[][] channels, byte[] labels, Shape3 shape) {
}
