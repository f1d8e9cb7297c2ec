package org.e2enet.core.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Holds an engine to {@link ReferenceEngine} on every operation of a network, forward and (for a training
 * engine) backward, each case run several times on identical inputs: wrong results of a defective kernel
 * can come and go between identical calls (docs/engine-check.md).
 */
public final class EngineCheck {
    /**
     * The largest relative error accepted: float32 sums of up to a few thousand products stay near 1e-6
     * relative to the largest reference value; the defects this check exists for give 0.2 and more.
     */
    public static final double TOLERANCE = 1e-3;
    /** Identical runs per case. */
    public static final int REPEATS = 3;

    private EngineCheck() {
    }

    /**
     * Runs every case {@value #REPEATS} times on {@code engine}.
     *
     * @param engineName what the report calls the engine ("PyTorch 2.7.1 (cpu), conv3d")
     * @param gradients also check the gradients (a training engine)
     */
    public static EngineCheckReport run(String engineName, List<OpCase> cases, OpEngine engine, boolean gradients) {
        long t0 = System.nanoTime();
        List<OpResult> results = new ArrayList<>();
        long seed = 20261206L;
        for (OpCase op : cases) {
            OpInputs in = OpInputs.random(op, seed++);
            Map<Quantity, double[]> ref = ReferenceEngine.run(op, in, gradients);
            List<Map<Quantity, float[]>> runs = new ArrayList<>();
            for (int r = 0; r < REPEATS; r++) {
                runs.add(engine.run(op, in, gradients));
            }
            for (Map.Entry<Quantity, double[]> e : ref.entrySet()) {
                results.add(compare(op, e.getKey(), e.getValue(), runs));
            }
        }
        return new EngineCheckReport(engineName, results, (System.nanoTime() - t0) / 1e9);
    }

    private static OpResult compare(OpCase op, Quantity q, double[] ref, List<Map<Quantity, float[]>> runs) {
        double scale = 0;
        for (double v : ref) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        long nan = 0;
        int wrong = 0;
        for (Map<Quantity, float[]> run : runs) {
            float[] got = run.get(q);
            if (got == null || got.length != ref.length) {
                throw new IllegalStateException(op.label() + " " + q.label() + ": the engine returned "
                        + (got == null ? "nothing" : got.length + " values") + ", expected " + ref.length);
            }
            double err = 0;
            long bad = 0;
            for (int i = 0; i < ref.length; i++) {
                if (!Float.isFinite(got[i])) {
                    bad++;
                } else {
                    err = Math.max(err, Math.abs(got[i] - ref[i]));
                }
            }
            double rel = bad == ref.length ? Double.POSITIVE_INFINITY : err / Math.max(scale, Double.MIN_NORMAL);
            worst = Math.max(worst, rel);
            nan += bad;
            if (bad > 0 || rel > TOLERANCE) {
                wrong++;
            }
        }
        return new OpResult(op, q, worst, nan, wrong, runs.size());
    }
}
