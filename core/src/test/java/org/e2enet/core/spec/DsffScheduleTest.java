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
        DsffSettings d = new DsffSettings(300, 0.5, 0.001, "zero", false);
        assertEquals(List.of(300L, 600L, 900L), updates(d, 1000));
        assertEquals(List.of(300L, 600L), updates(d, 900), "never after the last iteration");
        assertEquals(d.deathRateAt(600, 1000), d.deathRateAfter(600, 1000), 0);
        assertTrue(updates(d.withStatic(true), 1000).isEmpty());
    }

    @Test
    void aRelativeScheduleSpreadsItsUpdatesOverTheWindowAndDecaysTheDeathRateThere() {
        DsffSettings d = new DsffSettings(300, 0.5, 0.001, "zero", false).withRelativeSchedule(4, 0.75);
        assertEquals(750, d.updateWindow(1000));
        assertEquals(150, d.updateEvery(1000));
        assertEquals(List.of(150L, 300L, 450L, 600L), updates(d, 1000), "4 updates, the last before 75% of the run");
        assertEquals(List.of(15L, 30L, 45L, 60L), updates(d, 100), "the same shape in a shorter run");
        assertEquals(0.5, d.deathRateAfter(0, 1000), 1e-12);
        assertEquals(0.001, d.deathRateAfter(750, 1000), 1e-12, "dr_min at the end of the window");
        assertEquals((0.5 + 0.001) / 2, d.deathRateAfter(375, 1000), 1e-12, "half way in the cosine");
        assertFalse(d.updatesAfter(750, 1000));
    }

    @Test
    void specsWrittenBeforeTheseFieldsReadAsThePapersScheduleAndBadValuesAreRefused() {
        ModelSpec spec = Presets.get("tiny");
        String old = spec.toJson().replaceAll(",\\s*\"updates\"\\s*:\\s*0", "").replaceAll(",\\s*\"updateEnd\"\\s*:\\s*1\\.0", "")
                .replaceAll(",\\s*\"maxPruneShare\"\\s*:\\s*1\\.0", "").replaceAll(",\\s*\"regrowBy\"\\s*:\\s*\"random\"", "");
        assertFalse(old.contains("regrowBy"), old);
        assertEquals(spec, ModelSpec.fromJson(old, "old spec"));
        DsffSettings d = spec.dsff().withUpdateRule(0.25, "gradient").withRelativeSchedule(10, 0.75);
        assertEquals(d, ModelSpec.fromJson(spec.withDsff(d).toJson(), "x").dsff());
        assertThrows(IllegalArgumentException.class, () -> spec.dsff().withUpdateRule(1.5, "random"));
        assertThrows(IllegalArgumentException.class, () -> spec.dsff().withUpdateRule(1, "magnitude"));
        assertThrows(IllegalArgumentException.class, () -> spec.dsff().withRelativeSchedule(3, 0));
    }
}
