package org.e2enet.distributed;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;

/**
 * One row of the cohort table: what became of a case.
 *
 * @param caseId the case
 * @param status what became of it
 * @param error one line saying what was wrong, or null
 * @param volumesMl per foreground class, its volume in millilitres (empty when failed)
 * @param readS seconds reading the images
 * @param preprocessS seconds preprocessing
 * @param networkS seconds in the network
 * @param tilePathS seconds in the sliding window around it
 * @param postprocessS seconds putting the labels back on the input grid
 * @param writeS seconds writing
 * @param voxels input voxels
 * @param backend the backend that ran it
 * @param modelSha256 SHA-256 of the model that ran it
 * @param executor the executor JVM (host and process id)
 */
public record CaseOutcome(String caseId, Status status, String error, Map<String, Double> volumesMl, double readS, double preprocessS,
                          double networkS, double tilePathS, double postprocessS, double writeS, long voxels, String backend,
                          String modelSha256, String executor) implements Serializable {
    /** What became of a case; the cohort table's {@code status} column holds its {@link #label()}. */
    public enum Status {
        /** Segmented now. */
        DONE,
        /** Already segmented by an earlier run. */
        SKIPPED,
        /** Could not be segmented. */
        FAILED;

        /** The word in the cohort table: {@code done}, {@code skipped} or {@code failed}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Immutable copy. */
    public CaseOutcome {
        volumesMl = Map.copyOf(volumesMl);
    }

    /** Seconds in all. */
    public double totalS() {
        return readS + preprocessS + networkS + tilePathS + postprocessS + writeS;
    }
}
