package org.e2enet.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The topology-update schedule: absolute (the paper's) and relative to the run (updates over a window). */
class DsffScheduleTest {
    static List<Long> updates(DsffSettings d, long total) {
        List<Long> out = new ArrayList<>();
        for (long done = 1; done <= total; done++) {
            if (d.updatesAfter(done, total)) {
                out.add(done);
            }
        }
        return out;
    }

    @Test
    void theAbsoluteScheduleIsThePapersOverTheWholeRun() {
        DsffSettings d = new DsffSettings(300, 0.5, 0.001, Regrow.ZERO, false);
        assertEquals(List.of(300L, 600L, 900L), updates(d, 1000));
        assertEquals(List.of(300L, 600L), updates(d, 900), "never after the last iteration");
        assertEquals(d.deathRateAt(600, 1000), d.deathRateAfter(600, 1000), 0);
        assertTrue(updates(d.withStatic(true), 1000).isEmpty());
    }

    @Test
    void aRelativeScheduleSpreadsItsUpdatesOverTheWindowAndDecaysTheDeathRateThere() {
        DsffSettings d = new DsffSettings(300, 0.5, 0.001, Regrow.ZERO, false).withRelativeSchedule(4, 0.75);
        assertEquals(750, d.updateWindow(1000));
        assertEquals(150, d.updateEvery(1000));
        assertEquals(List.of(150L, 300L, 450L, 600L), updates(d, 1000), "4 updates, the last before 75% of the run");
        assertEquals(List.of(15L, 30L, 45L, 60L), updates(d, 100), "the same shape in a shorter run");
        assertEquals(0.5, d.deathRateAfter(0, 1000), 1e-12);
        assertEquals(0.001, d.deathRateAfter(750, 1000), 1e-12, "dr_min at the end of the window");
        assertEquals((0.5 + 0.001) / 2, d.deathRateAfter(375, 1000), 1e-12, "half way in the cosine");
        assertFalse(d.updatesAfter(750, 1000));
        assertEquals(List.of(133L, 266L, 399L, 532L, 665L, 798L, 931L, 1064L), updates(d.withRelativeSchedule(8, 0.75), 1600),
                "exactly 8 where the spacing floor(1200 / 9) = 133 would fit a ninth at 1197");
    }

    @Test
    void specsWrittenBeforeTheseFieldsReadAsThePapersScheduleAndBadValuesAreRefused() {
        ModelSpec spec = Presets.get("tiny");
        String old = spec.toJson().replaceAll(",\\s*\"updates\"\\s*:\\s*0", "").replaceAll(",\\s*\"updateEnd\"\\s*:\\s*1\\.0", "")
                .replaceAll(",\\s*\"maxPruneShare\"\\s*:\\s*1\\.0", "").replaceAll(",\\s*\"regrowBy\"\\s*:\\s*\"random\"", "")
                .replaceAll(",\\s*\"pruneRounding\"\\s*:\\s*\"ceil\"", "");
        assertFalse(old.contains("regrowBy") || old.contains("pruneRounding"), old);
        assertEquals(spec, ModelSpec.fromJson(old, "old spec"));
        DsffSettings d = spec.dsff().withUpdateRule(0.25, RegrowBy.GRADIENT, PruneRounding.ROUND).withRelativeSchedule(10, 0.75);
        assertEquals(d, ModelSpec.fromJson(spec.withDsff(d).toJson(), "x").dsff());
        assertThrows(IllegalArgumentException.class, () -> spec.dsff().withUpdateRule(1.5, RegrowBy.RANDOM, PruneRounding.CEIL));
        assertThrows(IllegalArgumentException.class, () -> RegrowBy.of("magnitude"));
        assertThrows(IllegalArgumentException.class, () -> spec.dsff().withRelativeSchedule(3, 0));
        assertThrows(IllegalArgumentException.class, () -> PruneRounding.of("floor"));
    }

    @Test
    void ceilPrunesAUnitAtAnyDeathRateRoundLetsTheDecayReachSmallTensorsAndTheCapBindsBoth() {
        DsffSettings ceil = Presets.get("tiny").dsff().withUpdateRule(0.34, RegrowBy.RANDOM, PruneRounding.CEIL);
        DsffSettings round = ceil.withUpdateRule(0.34, RegrowBy.RANDOM, PruneRounding.ROUND);
        assertEquals(1, ceil.pruneCount(0.001, 3), "ceil(0.003) = 1, the cap floor(1.02) = 1");
        assertEquals(0, round.pruneCount(0.001, 3));
        assertEquals(0, round.pruneCount(0.16, 3), "0.48 rounds down");
        assertEquals(1, round.pruneCount(0.17, 3), "0.51 rounds up");
        assertEquals(1, ceil.pruneCount(0.5, 3), "1.5 capped at floor(0.34 * 3) = 1");
        assertEquals(0, ceil.pruneCount(0.5, 2), "floor(0.68) = 0: a 2-unit tensor never changes under this cap");
        assertEquals(5, round.pruneCount(0.5, 16), "8 capped at floor(5.44)");
        assertEquals(3, round.pruneCount(0.2, 16), "3.2");
        assertEquals(4, ceil.pruneCount(0.2, 16), "ceil(3.2)");
        assertEquals(8, Presets.get("tiny").dsff().pruneCount(0.5, 16), "the paper's: no cap");
        DsffSettings recipe = Presets.get("tiny").dsff().withStatic(true).withRunRelativeRecipe(8, RegrowBy.GRADIENT);
        assertEquals(List.of(8, 0.75, 0.34, PruneRounding.ROUND, RegrowBy.GRADIENT, false),
                List.of(recipe.updates(), recipe.updateEnd(), recipe.maxPruneShare(), recipe.pruneRounding(), recipe.regrowBy(), recipe.isStatic()));
    }
}
