package org.e2enet.calibration;

/**
 * The range a calibration method chose for one activation tensor.
 *
 * @param min the lowest value to represent
 * @param max the highest value to represent
 */
public record ActivationRange(double min, double max) {
    /** The symmetric bound, max(|min|, |max|). */
    public double absMax() {
        return Math.max(Math.abs(min), Math.abs(max));
    }
}
