package org.e2enet.calibration;

/**
 * One input tile for the network, cut from a preprocessed case by the sliding window.
 *
 * @param caseId the case it came from
 * @param data the tile (1, C, D, H, W), channel-major
 * @param shape its shape
 * @param foreground whether the case's labels have foreground inside it
 */
public record CalibrationTile(String caseId, float[] data, long[] shape, boolean foreground) {
}
