package org.e2enet.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The depth shift's chunking, on the examples of docs/network.md#depth-shift. */
class DepthShiftTest {
    @Test
    void chunksAreCutAsTorchChunkCutsThem() {
        assertEquals(List.of(new DepthShift.Chunk(0, 16, -1), new DepthShift.Chunk(16, 32, 0), new DepthShift.Chunk(32, 48, 1)),
                DepthShift.chunks(48, 3));
        assertEquals(List.of(new DepthShift.Chunk(0, 4, -2), new DepthShift.Chunk(4, 8, -1), new DepthShift.Chunk(8, 12, 0),
                new DepthShift.Chunk(12, 16, 1)), DepthShift.chunks(16, 5), "four chunks of 4 for S = 5, C = 16");
        assertEquals(List.of(new DepthShift.Chunk(0, 1, -1)), DepthShift.chunks(1, 3), "one input channel: the whole image moves");
        assertEquals(List.of(new DepthShift.Chunk(0, 2, -1), new DepthShift.Chunk(2, 4, 0), new DepthShift.Chunk(4, 5, 1)), DepthShift.chunks(5, 3),
                "the last smaller");
        assertEquals(List.of(new DepthShift.Chunk(0, 2, -1), new DepthShift.Chunk(2, 4, 0)), DepthShift.chunks(4, 3), "fewer chunks than groups");
        assertEquals(1, DepthShift.shiftOf(47, 48, 3));
        assertEquals(0, DepthShift.chunkOf(15, 48, 3));
    }
}
