package org.e2enet.core.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.e2enet.core.volume.Shape3;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
    @Test
    void stepsFollowNnUnet() {
        // ceil((100 - 32) / 16) + 1 = 6 steps spread evenly over 0..68
        assertArrayEquals(new int[] {0, 14, 27, 41, 54, 68}, SlidingWindow.positions(100, 32, 0.5));
        assertArrayEquals(new int[] {0}, SlidingWindow.positions(32, 32, 0.5));
        assertArrayEquals(new int[] {0, 8}, SlidingWindow.positions(40, 32, 0.5));
        assertEquals(6 * 6 * 1, SlidingWindow.tiles(new Shape3(32, 100, 100), new Shape3(32, 32, 32), 0.5).size());
    }

    @Test
    void gaussianMapPeaksAtOneInTheCentreAndHasNoZeros() {
        Shape3 t = new Shape3(16, 32, 64);
        float[] g = SlidingWindow.gaussian(t);
        assertEquals(1f, g[t.index(8, 16, 32)], 0f);
        float min = Float.MAX_VALUE;
        float max = 0;
        for (float v : g) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(1f, max, 0f);
        assertTrue(min > 0, "no zeros");
        // sigma = tile / 8: one sigma from the centre along w the weight is exp(-1/2)
        assertEquals(Math.exp(-0.5), g[t.index(8, 16, 40)], 1e-6);
        assertEquals(g[t.index(8, 16, 24)], g[t.index(8, 16, 40)], 1e-7f);
    }
}
