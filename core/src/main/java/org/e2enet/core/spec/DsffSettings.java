package org.e2enet.core.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Dynamic sparse feature fusion schedule (E2ENET.md section 3).
 *
 * @param updateFrequency iterations between topology updates
 * @param deathRate initial death rate dr0
 * @param deathRateMin final death rate dr_min
 * @param regrow how regrown kernels start: {@code zero} or {@code reinit}
 * @param isStatic the static variant: masks never change
 * @param authorsDensityRule the authors' Masking code's rule: every masked tensor whose first dimension is
 *     {@value #AUTHORS_RULE_DIM0} gets density {@value #AUTHORS_RULE_DENSITY} whatever the sparsity (with the paper's
 *     channels: the six level-0 fusion convs); it reproduces the paper's AMOS s = 0.7 accounting exactly
 */
public record DsffSettings(int updateFrequency, double deathRate, double deathRateMin, String regrow,
                           @JsonProperty("static") boolean isStatic, boolean authorsDensityRule) {
    /** The first dimension the authors' rule applies to. */
    public static final long AUTHORS_RULE_DIM0 = 48;
    /** The density the authors' rule gives those tensors. */
    public static final double AUTHORS_RULE_DENSITY = 0.2;

    /** The paper's schedule: every 1200 iterations, dr 0.5 to 0.001, regrow at zero, dynamic. */
    public static final DsffSettings PAPER = new DsffSettings(1200, 0.5, 0.001, "zero", false);

    /** Settings without the authors' density rule. */
    public DsffSettings(int updateFrequency, double deathRate, double deathRateMin, String regrow, boolean isStatic) {
        this(updateFrequency, deathRate, deathRateMin, regrow, isStatic, false);
    }

    /** The same settings with the authors' density rule on or off. */
    public DsffSettings withAuthorsDensityRule(boolean on) {
        return new DsffSettings(updateFrequency, deathRate, deathRateMin, regrow, isStatic, on);
    }

    /** Validates the values. */
    public DsffSettings {
        if (updateFrequency < 1) {
            throw new IllegalArgumentException("dsff.updateFrequency must be >= 1, got " + updateFrequency);
        }
        if (!(deathRate >= 0 && deathRate <= 1) || !(deathRateMin >= 0 && deathRateMin <= deathRate)) {
            throw new IllegalArgumentException("dsff death rates must satisfy 0 <= deathRateMin <= deathRate <= 1");
        }
        if (!"zero".equals(regrow) && !"reinit".equals(regrow)) {
            throw new IllegalArgumentException("dsff.regrow must be 'zero' or 'reinit', got '" + regrow + "'");
        }
    }

    /** The death rate at iteration {@code t} of {@code total}: cosine decay from dr0 to dr_min. */
    public double deathRateAt(long t, long total) {
        double frac = total <= 0 ? 1 : Math.min(1, (double) t / total);
        return deathRateMin + (deathRate - deathRateMin) * (1 + Math.cos(Math.PI * frac)) / 2;
    }
}
