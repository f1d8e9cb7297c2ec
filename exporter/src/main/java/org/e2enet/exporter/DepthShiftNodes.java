package org.e2enet.exporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.e2enet.core.onnx.OnnxBuilder;

/**
 * The restricted depth shift as ONNX nodes (docs/network.md#depth-shift), zero-filled and chunked as in training,
 * also on a subset of the channels (each kept channel shifted with the chunk it came from).
 */
final class DepthShiftNodes {
    private final OnnxBuilder g;
    private final int shiftGroups;

    DepthShiftNodes(OnnxBuilder g, int shiftGroups) {
        this.g = g;
        this.shiftGroups = shiftGroups;
    }

    /** The shift of all {@code channels} channels of {@code x}. */
    String all(String x, int channels) {
        return of(x, chunkCounts(LiveChannels.all(channels), channels));
    }

    /** The shift of {@code x}, which holds the (sorted) {@code kept} channels of a {@code channels}-wide input. */
    String kept(String x, int[] kept, int channels) {
        return of(x, chunkCounts(kept, channels));
    }

    /** How many of the (sorted) kept channels fall into each depth-shift chunk of a {@code channels}-wide input. */
    private int[] chunkCounts(int[] kept, int channels) {
        int[] counts = new int[org.e2enet.core.spec.DepthShift.chunks(channels, shiftGroups).size()];
        for (int c : kept) {
            counts[org.e2enet.core.spec.DepthShift.chunkOf(c, channels, shiftGroups)]++;
        }
        return counts;
    }

    /**
     * Zero-filled depth shift of {@code x}, whose channels are consecutive runs of {@code counts[g]} channels
     * of shift chunk g (shift g - floor(S/2)): one Pad of floor(S/2) slices on both ends of D, one Slice per
     * chunk taking the window that realises its shift, one Concat. Works for symbolic D.
     */
    private String of(String x, int[] counts) {
        int p = shiftGroups / 2;
        boolean moves = false;
        for (int gr = 0; gr < counts.length; gr++) {
            moves |= counts[gr] > 0 && gr != p;
        }
        if (!moves) {
            return x;
        }
        String padded = g.node("Pad", new String[] {x, g.int64s(g.fresh("pads"), 0, 0, p, 0, 0, 0, 0, p, 0, 0)}, Map.of("mode", "constant"));
        List<String> chunks = new ArrayList<>();
        int start = 0;
        for (int gr = 0; gr < counts.length; gr++) {
            if (counts[gr] == 0) {
                continue;
            }
            int shift = org.e2enet.core.spec.DepthShift.shiftOfChunk(gr, shiftGroups);
            long from = p - shift;
            long to = p + shift == 0 ? Long.MAX_VALUE : -(p + shift);
            chunks.add(g.node("Slice", new String[] {padded, g.int64s(g.fresh("starts"), start, from),
                g.int64s(g.fresh("ends"), start + counts[gr], to), g.int64s(g.fresh("axes"), 1, 2)}, Map.of()));
            start += counts[gr];
        }
        return chunks.size() == 1 ? chunks.get(0) : g.node("Concat", chunks.toArray(String[]::new), Map.of("axis", 1L));
    }
}
