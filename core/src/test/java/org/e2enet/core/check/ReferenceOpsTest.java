package org.e2enet.core.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The float64 reference is itself right: its gradients match finite differences of its forward, its values hand-computed ones. */
class ReferenceOpsTest {
    static Stream<OpCase> cases() {
        return Stream.of(OpCase.conv(3, 5, new int[] {1, 3, 3}, new int[] {1, 2, 2}, new int[] {0, 1, 1}),
                OpCase.conv(2, 3, new int[] {3, 3, 3}, new int[] {2, 1, 2}, new int[] {1, 1, 1}),
                OpCase.head(4, 3), OpCase.transposedConv(3, 2, new int[] {2, 2, 2}), OpCase.transposedConv(2, 3, new int[] {1, 2, 2}),
                OpCase.maxPool(3, new int[] {2, 2, 2}), OpCase.maxPool(2, new int[] {1, 2, 2}), OpCase.instanceNorm(3),
                OpCase.leakyRelu(3), OpCase.depthShift(7, 3), OpCase.depthShift(4, 5));
    }

    /** L = sum(forward(x) * upstream) in float64, with one input value replaced. */
    private static double loss(OpCase op, OpInputs in) {
        double[] y = ReferenceEngine.run(op, in, false).get(Quantity.FORWARD);
        double[] g = in.upstreamD();
        double l = 0;
        for (int i = 0; i < y.length; i++) {
            l += y[i] * g[i];
        }
        return l;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferencesOfTheForward(OpCase op) {
        OpInputs in = OpInputs.random(op, 11);
        Map<Quantity, double[]> ref = ReferenceEngine.run(op, in, true);
        assertEquals(ReferenceOps.size(op.outputShape()), ref.get(Quantity.FORWARD).length);
        SplittableRandom rng = new SplittableRandom(5);
        for (Quantity q : List.of(Quantity.INPUT_GRADIENT, Quantity.WEIGHT_GRADIENT, Quantity.BIAS_GRADIENT)) {
            double[] grad = ref.get(q);
            if (grad == null) {
                continue;
            }
            float[] values = q == Quantity.INPUT_GRADIENT ? in.x() : q == Quantity.WEIGHT_GRADIENT ? in.weight() : in.bias();
            double scale = 0;
            for (double v : grad) {
                scale = Math.max(scale, Math.abs(v));
            }
            int probes = 0;
            for (int attempt = 0; probes < 6 && attempt < 60; attempt++) {
                int i = rng.nextInt(values.length);
                double fd = finiteDifference(op, in, values, i, 1e-2f);
                if (Math.abs(fd - finiteDifference(op, in, values, i, 2.5e-3f)) > 1e-4 * Math.max(scale, 1e-9)) {
                    continue; // the step straddles a kink (LeakyReLU at 0, a max-pool tie): not a place to differentiate
                }
                assertEquals(fd, grad[i], 2e-3 * Math.max(scale, 1e-9), op + " " + q.label() + " at " + i);
                probes++;
            }
            assertEquals(6, probes, op + " " + q.label() + ": too few smooth places to probe");
        }
    }

    /** (L(v + h) - L(v - h)) / (2h) at value i, with the step as float32 rounds it. */
    private static double finiteDifference(OpCase op, OpInputs in, float[] values, int i, float h) {
        float keep = values[i];
        float up = keep + h;
        float down = keep - h;
        values[i] = up;
        double lUp = loss(op, in);
        values[i] = down;
        double lDown = loss(op, in);
        values[i] = keep;
        return (lUp - lDown) / ((double) up - (double) down);
    }

    @Test
    void aConvolutionSumsItsTapsOverTheZeroBorder() {
        // one channel, 1x3x3 input of ones, kernel of ones (1,3,3), padding (0,1,1): corners see 4 taps, edges 6, the centre 9
        double[] x = new double[9];
        double[] w = new double[9];
        java.util.Arrays.fill(x, 1);
        java.util.Arrays.fill(w, 1);
        double[] y = ReferenceOps.conv(x, new int[] {1, 1, 1, 3, 3}, w, new int[] {1, 1, 1, 3, 3}, new double[] {0.5},
                new int[] {1, 1, 1, 3, 3}, new int[] {1, 1, 1}, new int[] {0, 1, 1});
        assertArrayEquals(new double[] {4.5, 6.5, 4.5, 6.5, 9.5, 6.5, 4.5, 6.5, 4.5}, y, 0);
    }

    @Test
    void theDepthShiftMovesEachChannelGroupByItsOffset() {
        // 3 channels, 3 groups: channel 0 shifted by -1 (reads z + 1), channel 1 kept, channel 2 shifted by +1 (reads z - 1)
        assertEquals(1, ReferenceOps.shiftSource(0, 3, 3, 0, 4));
        assertEquals(-1, ReferenceOps.shiftSource(0, 3, 3, 3, 4));
        assertEquals(2, ReferenceOps.shiftSource(1, 3, 3, 2, 4));
        assertEquals(-1, ReferenceOps.shiftSource(2, 3, 3, 0, 4));
        assertEquals(0, ReferenceOps.shiftSource(2, 3, 3, 1, 4));
        // 8 channels in chunks of ceil(8/3) = 3: channels 6 and 7 form the third chunk
        assertEquals(0, ReferenceOps.shiftSource(6, 8, 3, 1, 4));
        assertTrue(ReferenceOps.shiftSource(5, 8, 3, 1, 4) == 1);
    }
}
