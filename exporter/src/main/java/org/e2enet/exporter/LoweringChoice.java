package org.e2enet.exporter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.e2enet.core.onnx.Lowering;

/**
 * How one masked convolution is lowered.
 *
 * @param lowering dense, gather or grouped
 * @param inputs the input channels the lowered conv reads, one sorted array (gather) or one per output group
 *     (grouped); null for dense
 * @param estimates the cost model's milliseconds per lowering considered, in {@link Lowering} order
 * @param reason why, as the export report says it
 */
record LoweringChoice(Lowering lowering, int[][] inputs, Map<Lowering, Double> estimates, String reason) {
    /** Sorted distinct input channels the lowered conv reads. */
    int[] union() {
        return Arrays.stream(inputs).flatMapToInt(Arrays::stream).distinct().sorted().toArray();
    }

    /** The estimates keyed as the export report keys them ({@link Lowering#label()}). */
    Map<String, Double> estimatedMs() {
        Map<String, Double> out = new LinkedHashMap<>();
        estimates.forEach((l, ms) -> out.put(l.label(), ms));
        return out;
    }
}
