package org.e2enet.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.e2enet.core.volume.Shape3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BatchSourceTest {
    private static PatchSampler sampler() {
        Shape3 s = new Shape3(4, 8, 8);
        float[] image = new float[s.voxelsInt()];
        byte[] label = new byte[s.voxelsInt()];
        for (int i = 0; i < image.length; i++) {
            image[i] = i % 7;
            label[i] = (byte) (i % 5 == 0 ? 1 : 0);
        }
        int[] fg = java.util.stream.IntStream.range(0, label.length).filter(i -> label[i] == 1).toArray();
        return new PatchSampler(List.of(new TrainingCase("c", new float[][] {image}, label, s, new int[][] {new int[0], fg})),
                new Shape3(4, 4, 4));
    }

    @Test
    @Timeout(60)
    void prefetchedBatchesAreTheBatchesOfTheirIterationsAndTheSourceEndsWhereItSays() throws Exception {
        // fewer iterations than the prefetch depth: the source must still start and end cleanly
        try (BatchSource src = new BatchSource(sampler(), new Augmenter(true), 2, 5, 10, 12);
             BatchSource reference = new BatchSource(sampler(), new Augmenter(true), 2, 5, 0, 0)) {
            assertArrayEquals(reference.make(10).images(), src.next().images());
            assertArrayEquals(reference.make(11).images(), src.next().images());
            assertThrows(IllegalStateException.class, src::next);
        }
    }
}
