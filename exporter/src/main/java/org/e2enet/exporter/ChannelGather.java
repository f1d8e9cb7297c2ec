package org.e2enet.exporter;

import java.util.Arrays;
import java.util.Map;
import org.e2enet.core.onnx.OnnxBuilder;

/** Gather nodes that pick channels: those a consumer reads from a tensor, and each group's inputs for a grouped conv. */
final class ChannelGather {
    private final OnnxBuilder g;

    ChannelGather(OnnxBuilder g) {
        this.g = g;
    }

    /** The channels {@code wanted} (sorted) of {@code x}, which holds them all: {@code x} itself when it holds exactly them. */
    String select(ChannelTensor x, int[] wanted) {
        if (Arrays.equals(x.channels(), wanted)) {
            return x.name();
        }
        int[] positions = Arrays.stream(wanted).map(c -> Arrays.binarySearch(x.channels(), c)).toArray();
        if (Arrays.stream(positions).anyMatch(p -> p < 0)) {
            throw new IllegalStateException("liveness: a tensor lacks channels its consumer reads");
        }
        return gather(x.name(), new int[][] {positions});
    }

    /** For a grouped conv: from {@code union}, which holds the union {@code c} reads, each group's own input channels in group order. */
    String regroup(String union, LoweringChoice c) {
        int[] u = c.union();
        int[][] positions = new int[c.inputs().length][];
        for (int gr = 0; gr < positions.length; gr++) {
            positions[gr] = Arrays.stream(c.inputs()[gr]).map(v -> Arrays.binarySearch(u, v)).toArray();
        }
        return gather(union, positions);
    }

    private String gather(String x, int[][] inputs) {
        long[] idx = Arrays.stream(inputs).flatMapToInt(Arrays::stream).asLongStream().toArray();
        String indices = g.int64s(g.fresh("keep"), idx);
        return g.node("Gather", new String[] {x, indices}, Map.of("axis", 1L));
    }
}
