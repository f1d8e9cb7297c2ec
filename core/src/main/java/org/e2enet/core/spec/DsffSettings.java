package org.e2enet.core.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Set;

/**
 * Dynamic sparse feature fusion schedule (docs/network.md#dsff).
 *
 * @param updateFrequency iterations between topology updates
 * @param deathRate initial death rate dr0
 * @param deathRateMin final death rate dr_min
 * @param regrow how regrown kernels start
 * @param isStatic the static variant: masks never change
 * @param authorsDensityRule the authors' Masking code's rule: every masked tensor whose first dimension is
 *     {@value #AUTHORS_RULE_DIM0} gets density {@value #AUTHORS_RULE_DENSITY} whatever the sparsity (with the paper's
 *     channels: the six level-0 fusion convs); it reproduces the paper's AMOS s = 0.7 accounting exactly
 * @param updates topology updates over the update window, spaced evenly (relative to the run); 0: every
 *     {@code updateFrequency} iterations (absolute, the paper's)
 * @param updateEnd the fraction of training after which the topology stays fixed (RigL stops at 0.75); the death
 *     rate decays over this window (1: the whole run)
 * @param maxPruneShare the largest share of a tensor's (pool's) active units one update may remove (1: no cap)
 * @param regrowBy which inactive units regrow
 * @param pruneRounding how an update's prune count dr * active becomes whole
 */
public record DsffSettings(int updateFrequency, double deathRate, double deathRateMin, Regrow regrow,
                           @JsonProperty("static") boolean isStatic, boolean authorsDensityRule, int updates, double updateEnd,
                           double maxPruneShare, RegrowBy regrowBy, PruneRounding pruneRounding) {
    /** The first dimension the authors' rule applies to. */
    public static final long AUTHORS_RULE_DIM0 = 48;
    /** The density the authors' rule gives those tensors. */
    public static final double AUTHORS_RULE_DENSITY = 0.2;

    /** The paper's schedule: every 1200 iterations, dr 0.5 to 0.001, regrow at zero, dynamic. */
    public static final DsffSettings PAPER = new DsffSettings(1200, 0.5, 0.001, Regrow.ZERO, false);

    private static final Set<String> FIELDS = Set.of("updateFrequency", "deathRate", "deathRateMin", "regrow", "static", "authorsDensityRule",
            "updates", "updateEnd", "maxPruneShare", "regrowBy", "pruneRounding");

    /**
     * Reads the JSON form. The first five fields are required; those added later ({@code authorsDensityRule},
     * {@code updates}, {@code updateEnd}, {@code maxPruneShare}, {@code regrowBy}, {@code pruneRounding}) default to the paper's behaviour, so
     * bundles and models written before them still read. Unknown fields are refused.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static DsffSettings fromJson(Map<String, Object> m) {
        for (String k : m.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new IllegalArgumentException("dsff has an unknown field '" + k + "'");
            }
        }
        return new DsffSettings(number(m, "updateFrequency", null).intValue(), number(m, "deathRate", null).doubleValue(),
                number(m, "deathRateMin", null).doubleValue(), Regrow.of((String) required(m, "regrow")), (Boolean) required(m, "static"),
                (Boolean) m.getOrDefault("authorsDensityRule", false), number(m, "updates", 0).intValue(),
                number(m, "updateEnd", 1.0).doubleValue(), number(m, "maxPruneShare", 1.0).doubleValue(),
                RegrowBy.of((String) m.getOrDefault("regrowBy", RegrowBy.RANDOM.label())),
                PruneRounding.of((String) m.getOrDefault("pruneRounding", PruneRounding.CEIL.label())));
    }

    private static Object required(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("dsff." + key + " is missing");
        }
        return v;
    }

    private static Number number(Map<String, Object> m, String key, Number fallback) {
        Object v = fallback == null ? required(m, key) : m.getOrDefault(key, fallback);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("dsff." + key + " must be a number");
        }
        return n;
    }

    /** Settings with the paper's absolute schedule, random regrowth and no cap. */
    public DsffSettings(int updateFrequency, double deathRate, double deathRateMin, Regrow regrow, boolean isStatic) {
        this(updateFrequency, deathRate, deathRateMin, regrow, isStatic, false);
    }

    /** As {@link #DsffSettings(int, double, double, Regrow, boolean)}, with or without the authors' density rule. */
    public DsffSettings(int updateFrequency, double deathRate, double deathRateMin, Regrow regrow, boolean isStatic,
                        boolean authorsDensityRule) {
        this(updateFrequency, deathRate, deathRateMin, regrow, isStatic, authorsDensityRule, 0, 1, 1, RegrowBy.RANDOM, PruneRounding.CEIL);
    }

    /** The same settings with the authors' density rule on or off. */
    public DsffSettings withAuthorsDensityRule(boolean on) {
        return new DsffSettings(updateFrequency, deathRate, deathRateMin, regrow, isStatic, on, updates, updateEnd, maxPruneShare, regrowBy,
                pruneRounding);
    }

    /** The same settings, static or dynamic. */
    public DsffSettings withStatic(boolean on) {
        return new DsffSettings(updateFrequency, deathRate, deathRateMin, regrow, on, authorsDensityRule, updates, updateEnd, maxPruneShare,
                regrowBy, pruneRounding);
    }

    /** The same settings updating every {@code n} iterations (an absolute schedule). */
    public DsffSettings withUpdateFrequency(int n) {
        return new DsffSettings(n, deathRate, deathRateMin, regrow, isStatic, authorsDensityRule, 0, updateEnd, maxPruneShare, regrowBy,
                pruneRounding);
    }

    /** The same settings with a run-relative schedule: {@code n} updates over the first {@code end} of training. */
    public DsffSettings withRelativeSchedule(int n, double end) {
        return new DsffSettings(updateFrequency, deathRate, deathRateMin, regrow, isStatic, authorsDensityRule, n, end, maxPruneShare, regrowBy,
                pruneRounding);
    }

    /** RigL's end of topology updates, as a fraction of training: the run-relative recipe's. */
    public static final double RECIPE_UPDATE_END = 0.75;
    /** The run-relative recipe's prune cap: one unit of a 3-unit tensor per update. */
    public static final double RECIPE_MAX_PRUNE_SHARE = 0.34;

    /**
     * The run-relative recipe that docs/dsff.md measured: {@code n} updates over the first {@value #RECIPE_UPDATE_END}
     * of training, at most {@value #RECIPE_MAX_PRUNE_SHARE} of a tensor's active units per update, prune counts
     * rounded to nearest (with the paper's ceil the quickstart's network lost 7 more Dice points), regrowth by
     * {@code newRegrowBy}; dynamic.
     */
    public DsffSettings withRunRelativeRecipe(int n, RegrowBy newRegrowBy) {
        return withRelativeSchedule(n, RECIPE_UPDATE_END).withUpdateRule(RECIPE_MAX_PRUNE_SHARE, newRegrowBy, PruneRounding.ROUND).withStatic(false);
    }

    /** The same settings with a prune cap, a regrowth rule and a rounding of the prune count. */
    public DsffSettings withUpdateRule(double newMaxPruneShare, RegrowBy newRegrowBy, PruneRounding newPruneRounding) {
        return new DsffSettings(updateFrequency, deathRate, deathRateMin, regrow, isStatic, authorsDensityRule, updates, updateEnd,
                newMaxPruneShare, newRegrowBy, newPruneRounding);
    }

    /** Validates the values. */
    public DsffSettings {
        if (updates < 0 || !(updateEnd > 0 && updateEnd <= 1) || !(maxPruneShare > 0 && maxPruneShare <= 1)) {
            throw new IllegalArgumentException("dsff.updates must be >= 0, dsff.updateEnd and dsff.maxPruneShare in (0, 1]");
        }
        SettingLabels.require(RegrowBy.class, "dsff.regrowBy", regrowBy);
        SettingLabels.require(PruneRounding.class, "dsff.pruneRounding", pruneRounding);
        if (updateFrequency < 1) {
            throw new IllegalArgumentException("dsff.updateFrequency must be >= 1, got " + updateFrequency);
        }
        if (!(deathRate >= 0 && deathRate <= 1) || !(deathRateMin >= 0 && deathRateMin <= deathRate)) {
            throw new IllegalArgumentException("dsff death rates must satisfy 0 <= deathRateMin <= deathRate <= 1");
        }
        SettingLabels.require(Regrow.class, "dsff.regrow", regrow);
    }

    /** The death rate at iteration {@code t} of a decay over {@code total} iterations: cosine from dr0 to dr_min. */
    public double deathRateAt(long t, long total) {
        double frac = total <= 0 ? 1 : Math.min(1, (double) t / total);
        return deathRateMin + (deathRate - deathRateMin) * (1 + Math.cos(Math.PI * frac)) / 2;
    }

    /** The iterations of a run of {@code total} during which the topology may change: the first {@code updateEnd} of it. */
    public long updateWindow(long total) {
        return (long) Math.floor(updateEnd * total);
    }

    /** Iterations between updates in a run of {@code total}: {@code updates} spread evenly over the window, or {@code updateFrequency}. */
    public long updateEvery(long total) {
        return updates > 0 ? Math.max(1, updateWindow(total) / (updates + 1)) : updateFrequency;
    }

    /** Whether the topology is updated after iteration {@code done} (1-based count of iterations done) of {@code total}. */
    public boolean updatesAfter(long done, long total) {
        long every = updateEvery(total);
        return !isStatic && done % every == 0 && done < updateWindow(total) && done < total && (updates == 0 || done / every <= updates);
    }

    /** The death rate of an update after {@code done} iterations of {@code total}: the cosine decay over the update window. */
    public double deathRateAfter(long done, long total) {
        return deathRateAt(done, updateWindow(total));
    }

    /**
     * How many of a pool's {@code active} units an update at death rate {@code dr} prunes: dr * active made whole by
     * {@code pruneRounding}, at most floor({@code maxPruneShare} * active).
     */
    public int pruneCount(double dr, int active) {
        double want = dr * active;
        int k = pruneRounding == PruneRounding.ROUND ? (int) Math.floor(want + 0.5) : (int) Math.ceil(want);
        return Math.min(k, (int) Math.floor(maxPruneShare * active));
    }
}
