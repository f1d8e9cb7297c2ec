package org.e2enet.devices;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the fastest eligible deployment by measurement: every model variant x backend x threads x batch is
 * measured until the time budget is spent, variants whose accuracy gate did not pass are never measured or
 * chosen, and the fastest measured candidate wins.
 */
public final class DeploymentPlanner {
    private DeploymentPlanner() {
    }

    /**
     * A model file to consider.
     *
     * @param model its path
     * @param sha256 its SHA-256
     * @param precision fp32, fp16, int8, ...
     * @param gateNote null when the model may be deployed (FP32, or a calibration gate that passed), else why not
     */
    public record Variant(String model, String sha256, String precision, String gateNote) {
    }

    /** Measures one candidate, or throws when its backend is unavailable here. */
    public interface Measurer {
        /** Milliseconds per tile. */
        double tileMs(Variant variant, String backend, int threads, int batch);
    }

    /**
     * The plan.
     *
     * @param backends backend labels worth trying here (those discovery does not rule out)
     * @param budgetNanos stop measuring new candidates after this long (the first one is always measured)
     * @throws IllegalArgumentException when no candidate could be measured
     */
    public static DeploymentProfile plan(List<Variant> variants, List<String> backends, List<Integer> threads, List<Integer> batches,
                                         long budgetNanos, Measurer measurer) {
        long start = System.nanoTime();
        List<DeploymentProfile.Candidate> all = new ArrayList<>();
        DeploymentProfile.Candidate best = null;
        Variant bestVariant = null;
        for (Variant v : variants) {
            for (String backend : backends) {
                List<String> unavailable = new ArrayList<>();
                for (int t : threads) {
                    for (int b : batches) {
                        String note = v.gateNote();
                        Double ms = null;
                        if (note == null && !unavailable.isEmpty()) {
                            note = unavailable.get(0);
                        } else if (note == null && best != null && System.nanoTime() - start > budgetNanos) {
                            note = "not measured: time budget spent";
                        } else if (note == null) {
                            try {
                                ms = measurer.tileMs(v, backend, t, b);
                            } catch (RuntimeException e) {
                                note = "unavailable: " + e.getMessage();
                                unavailable.add(note);
                            }
                        }
                        DeploymentProfile.Candidate c = new DeploymentProfile.Candidate(v.model(), backend, v.precision(), t, b, ms, note);
                        all.add(c);
                        if (ms != null && (best == null || ms < best.tileMs())) {
                            best = c;
                            bestVariant = v;
                        }
                    }
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no candidate could be measured: " + all.stream().map(DeploymentProfile.Candidate::note)
                    .distinct().reduce((a, b) -> a + "; " + b).orElse("none given"));
        }
        return new DeploymentProfile(DeploymentProfile.FORMAT, best.model(), bestVariant.sha256(), best.backend(), best.precision(),
                best.threads(), best.batch(), best.tileMs(), List.copyOf(all));
    }
}
