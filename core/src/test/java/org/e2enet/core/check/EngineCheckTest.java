package org.e2enet.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.e2enet.core.spec.Presets;
import org.junit.jupiter.api.Test;

/** The check passes an engine that computes the reference in float32 and names what a wrong one gets wrong. */
class EngineCheckTest {
    private static final List<OpCase> OPS = List.of(OpCase.conv(8, 8, new int[] {1, 3, 3}, new int[] {1, 1, 1}, new int[] {0, 1, 1}),
            OpCase.instanceNorm(8), OpCase.leakyRelu(8));

    /** The reference rounded to float32, with {@code fault} applied to the output of the calls it picks. */
    private static final class RoundedReference implements OpEngine {
        private final Fault fault;
        private int calls;

        RoundedReference(Fault fault) {
            this.fault = fault;
        }

        @Override
        public Map<Quantity, float[]> run(OpCase op, OpInputs in, boolean gradients) {
            Map<Quantity, float[]> out = new EnumMap<>(Quantity.class);
            ReferenceEngine.run(op, in, gradients).forEach((q, v) -> {
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = (float) v[i];
                }
                out.put(q, f);
            });
            fault.apply(op, out, calls++);
            return out;
        }
    }

    private interface Fault {
        void apply(OpCase op, Map<Quantity, float[]> out, int call);
    }

    @Test
    void anEngineComputingTheReferenceInFloat32Passes() {
        EngineCheckReport r = EngineCheck.run("rounded", OPS, new RoundedReference((op, out, call) -> { }), true);
        assertTrue(r.passed(), r.summary());
        assertEquals(4 + 4 + 2, r.results().size(), "conv and norm: forward and 3 gradients each; relu: forward and input gradient");
        assertTrue(r.maxRelError() < 1e-6, r.summary());
        assertTrue(r.summary().contains("10 checks of 3 operations passed"), r.summary());
    }

    @Test
    void aNanInOneOfTheRepeatedRunsFailsAndIsNamed() {
        EngineCheckReport r = EngineCheck.run("flaky", OPS, new RoundedReference((op, out, call) -> {
            if (op.kind() == OpKind.CONV && call == 1) {
                out.get(Quantity.INPUT_GRADIENT)[3] = Float.NaN;
            }
        }), true);
        assertFalse(r.passed());
        assertEquals(1, r.failures().size());
        OpResult f = r.failures().get(0);
        assertEquals(Quantity.INPUT_GRADIENT, f.quantity());
        assertEquals(1, f.nanCount());
        assertEquals(1, f.wrongRuns());
        assertTrue(r.summary().startsWith("flaky computes wrong numbers: conv 8->8 k1x3x3 s1x1x1 input gradient: max relative error ")
                && r.summary().endsWith(", 1 NaN, wrong in 1 of 3 runs"), r.summary());
    }

    @Test
    void anErrorAboveTheToleranceFailsAndOneBelowPasses() {
        for (double err : new double[] {2e-3, 5e-4}) {
            EngineCheckReport r = EngineCheck.run("off", OPS, new RoundedReference((op, out, call) -> {
                if (op.kind() == OpKind.INSTANCE_NORM) {
                    float[] y = out.get(Quantity.FORWARD);
                    float max = 0;
                    for (float v : y) {
                        max = Math.max(max, Math.abs(v));
                    }
                    y[0] += (float) (err * max);
                }
            }), false);
            assertEquals(err > EngineCheck.TOLERANCE, !r.passed(), r.summary());
            assertEquals(err, r.worstPerOperation().get(1).maxRelError(), err * 1e-3, "the norm's error is reported as made");
        }
    }

    @Test
    void theTinyPresetsOperationsAreItsLayerShapesEachOnce() {
        List<String> labels = NetworkOps.of(Presets.get("tiny")).stream().map(OpCase::label).toList();
        assertEquals(labels.size(), labels.stream().distinct().count());
        assertTrue(labels.contains("conv 1->8 k1x3x3 s1x1x1"), labels.toString());
        assertTrue(labels.contains("conv 8->16 k1x3x3 s2x2x2"), labels.toString());
        assertTrue(labels.contains("conv 40->16 k1x3x3 s1x1x1"), "a fusion conv of [16, 16, 8] channels: " + labels);
        assertTrue(labels.contains("transposed conv 16->8 k2x2x2"), labels.toString());
        assertTrue(labels.contains("max pool 8 k2x2x2"), labels.toString());
        assertTrue(labels.contains("head 8->4 k1x1x1"), labels.toString());
        assertTrue(labels.contains("depth shift 1 in 3 groups"), labels.toString());
    }
}
