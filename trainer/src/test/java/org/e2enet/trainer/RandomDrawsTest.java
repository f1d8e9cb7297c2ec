package org.e2enet.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomDrawsTest {
    /**
     * The draws of the hand-written SplitMix64 generator the trainer used before it moved to SplittableRandom,
     * recorded from it for seed 42: four integers below 1000, three normals, one uniform in [0.7, 1.4). Equal
     * streams mean equal batches, augmentation and DSFF topologies, so earlier runs reproduce.
     */
    @Test
    void drawsEqualThoseOfThePreviousGenerator() {
        SplittableRandom rng = new SplittableRandom(42);
        assertEquals(797, RandomDraws.below(rng, 1000));
        assertEquals(291, RandomDraws.below(rng, 1000));
        assertEquals(858, RandomDraws.below(rng, 1000));
        assertEquals(764, RandomDraws.below(rng, 1000));
        assertEquals(0.1883526341159315, RandomDraws.gaussian(rng), 0);
        assertEquals(0.219586379190761, RandomDraws.gaussian(rng), 0);
        assertEquals(-0.6703714655421094, RandomDraws.gaussian(rng), 0);
        assertEquals(0.8434312822591428, rng.nextDouble(0.7, 1.4), 0);
    }
}
