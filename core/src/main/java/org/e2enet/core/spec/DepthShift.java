package org.e2enet.core.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The restricted depth shift's chunking (docs/network.md#depth-shift), the one definition that the training model,
 * the exporter and the float64 reference follow: C channels cut into consecutive chunks of ceil(C / S), the last
 * possibly smaller and possibly fewer than S chunks (as {@code torch.chunk} cuts them), chunk g shifted by
 * g - floor(S / 2) along depth.
 */
public final class DepthShift {
    private DepthShift() {
    }

    /**
     * One chunk of channels and its shift.
     *
     * @param from its first channel
     * @param to one past its last channel
     * @param shift s: {@code out[:, c, z] = x[:, c, z - s]}, zero where z - s falls outside the depth
     */
    public record Chunk(int from, int to, int shift) {
        /** Its channels. */
        public int size() {
            return to - from;
        }
    }

    /** The chunks of {@code channels} channels in {@code groups} shift groups, in channel order. */
    public static List<Chunk> chunks(int channels, int groups) {
        int size = chunkSize(channels, groups);
        List<Chunk> out = new ArrayList<>();
        for (int from = 0, g = 0; from < channels; from += size, g++) {
            out.add(new Chunk(from, Math.min(channels, from + size), shiftOfChunk(g, groups)));
        }
        return out;
    }

    /** Which chunk channel {@code c} of {@code channels} falls into. */
    public static int chunkOf(int c, int channels, int groups) {
        return c / chunkSize(channels, groups);
    }

    /** The shift of channel {@code c} of {@code channels}. */
    public static int shiftOf(int c, int channels, int groups) {
        return shiftOfChunk(chunkOf(c, channels, groups), groups);
    }

    /** The shift of chunk {@code g}: g - floor(groups / 2). */
    public static int shiftOfChunk(int g, int groups) {
        return g - groups / 2;
    }

    private static int chunkSize(int channels, int groups) {
        return (channels + groups - 1) / groups;
    }
}
