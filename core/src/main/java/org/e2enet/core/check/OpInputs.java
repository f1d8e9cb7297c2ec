package org.e2enet.core.check;

import java.util.SplittableRandom;

/**
 * The float32 inputs of one checked operation: x, its weight and bias where it has them, and the gradient
 * of a scalar loss with respect to its output (the loss is sum(y * upstream)).
 *
 * @param x the input
 * @param weight the weight, or an empty array
 * @param bias the bias (or the norm's shift), or an empty array
 * @param upstream dLoss/dy
 */
public record OpInputs(float[] x, float[] weight, float[] bias, float[] upstream) {
    /** Uniform values in (-1, 1) for x and the upstream gradient, weights scaled by 1/sqrt(fan-in) as at initialisation. */
    public static OpInputs random(OpCase c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] ws = c.weightShape();
        int fanIn = ws.length == 5 ? ReferenceOps.size(ws) / ws[c.kind() == OpKind.TRANSPOSED_CONV ? 1 : 0] : 1;
        float[] w = uniform(rng, ReferenceOps.size(ws), 1 / Math.sqrt(fanIn));
        if (c.kind() == OpKind.INSTANCE_NORM) {
            for (int i = 0; i < w.length; i++) {
                w[i] += 1;
            }
        }
        return new OpInputs(uniform(rng, ReferenceOps.size(c.inputShape()), 1), w, uniform(rng, c.hasBias() ? c.outChannels() : 0, 0.5),
                uniform(rng, ReferenceOps.size(c.outputShape()), 1));
    }

    private static float[] uniform(SplittableRandom rng, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    /** x as float64. */
    public double[] xd() {
        return widen(x);
    }

    /** The weight as float64. */
    public double[] weightD() {
        return widen(weight);
    }

    /** The bias as float64. */
    public double[] biasD() {
        return widen(bias);
    }

    /** The upstream gradient as float64. */
    public double[] upstreamD() {
        return widen(upstream);
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
