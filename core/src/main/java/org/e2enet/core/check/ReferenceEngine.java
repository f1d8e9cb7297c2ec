package org.e2enet.core.check;

import java.util.EnumMap;
import java.util.Map;

/** {@link ReferenceOps} behind the shape of an engine: what every check compares with, in float64. */
public final class ReferenceEngine {
    private ReferenceEngine() {
    }

    /** The float64 output and, with {@code gradients}, gradients of {@code op} on {@code in}. */
    public static Map<Quantity, double[]> run(OpCase op, OpInputs in, boolean gradients) {
        int[] xs = op.inputShape();
        int[] ys = op.outputShape();
        int[] ws = op.weightShape();
        double[] x = in.xd();
        double[] w = in.weightD();
        double[] g = in.upstreamD();
        Map<Quantity, double[]> out = new EnumMap<>(Quantity.class);
        switch (op.kind()) {
            case CONV, HEAD -> {
                out.put(Quantity.FORWARD, ReferenceOps.conv(x, xs, w, ws, op.hasBias() ? in.biasD() : null, ys, op.stride(), op.padding()));
                if (gradients) {
                    out.put(Quantity.INPUT_GRADIENT, ReferenceOps.convInputGrad(g, ys, w, ws, xs, op.stride(), op.padding()));
                    out.put(Quantity.WEIGHT_GRADIENT, ReferenceOps.convWeightGrad(g, ys, x, xs, ws, op.stride(), op.padding()));
                    if (op.hasBias()) {
                        out.put(Quantity.BIAS_GRADIENT, channelSums(g, ys));
                    }
                }
            }
            case TRANSPOSED_CONV -> {
                out.put(Quantity.FORWARD, ReferenceOps.transposedConv(x, xs, w, ws));
                if (gradients) {
                    out.put(Quantity.INPUT_GRADIENT, ReferenceOps.transposedConvInputGrad(g, w, ws, xs));
                    out.put(Quantity.WEIGHT_GRADIENT, ReferenceOps.transposedConvWeightGrad(g, x, xs, ws));
                }
            }
            case MAX_POOL -> {
                int[] arg = ReferenceOps.maxPoolArgMax(x, xs, op.kernel());
                double[] y = new double[arg.length];
                double[] dx = new double[x.length];
                for (int i = 0; i < arg.length; i++) {
                    y[i] = x[arg[i]];
                    dx[arg[i]] += g[i];
                }
                putForwardAndInputGrad(out, y, dx, gradients);
            }
            case INSTANCE_NORM -> {
                out.put(Quantity.FORWARD, ReferenceOps.instanceNorm(x, xs, w, in.biasD()));
                if (gradients) {
                    double[][] grads = ReferenceOps.instanceNormGrads(g, x, xs, w);
                    out.put(Quantity.INPUT_GRADIENT, grads[0]);
                    out.put(Quantity.WEIGHT_GRADIENT, grads[1]);
                    out.put(Quantity.BIAS_GRADIENT, grads[2]);
                }
            }
            case LEAKY_RELU -> {
                double[] y = new double[x.length];
                double[] dx = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    y[i] = x[i] * ReferenceOps.leakySlope(x[i]);
                    dx[i] = g[i] * ReferenceOps.leakySlope(x[i]);
                }
                putForwardAndInputGrad(out, y, dx, gradients);
            }
            case DEPTH_SHIFT -> {
                double[] y = new double[x.length];
                double[] dx = new double[x.length];
                int plane = xs[3] * xs[4];
                for (int nc = 0; nc < xs[0] * xs[1]; nc++) {
                    for (int z = 0; z < xs[2]; z++) {
                        int src = ReferenceOps.shiftSource(nc % xs[1], xs[1], op.groups(), z, xs[2]);
                        for (int p = 0; src >= 0 && p < plane; p++) {
                            y[(nc * xs[2] + z) * plane + p] = x[(nc * xs[2] + src) * plane + p];
                            dx[(nc * xs[2] + src) * plane + p] = g[(nc * xs[2] + z) * plane + p];
                        }
                    }
                }
                putForwardAndInputGrad(out, y, dx, gradients);
            }
            default -> throw new IllegalArgumentException("no reference for " + op.kind());
        }
        return out;
    }

    private static void putForwardAndInputGrad(Map<Quantity, double[]> out, double[] y, double[] dx, boolean gradients) {
        out.put(Quantity.FORWARD, y);
        if (gradients) {
            out.put(Quantity.INPUT_GRADIENT, dx);
        }
    }

    private static double[] channelSums(double[] g, int[] ys) {
        double[] s = new double[ys[1]];
        int vox = ys[2] * ys[3] * ys[4];
        for (int i = 0; i < g.length; i++) {
            s[(i / vox) % ys[1]] += g[i];
        }
        return s;
    }
}
