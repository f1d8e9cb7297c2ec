package org.e2enet.exporter;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.onnx.Lowering;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.ModelSpec;

/**
 * Chooses the lowering of each masked convolution by the cost model: dense with zeros, a Gather of the input
 * channels its active kernels use before a smaller conv, or (group granularity, every group reading as many inputs)
 * a Gather per group before a grouped conv; the cheapest estimate wins. Dense for every layer when not pruning.
 * A layer's choice is made once, for the outputs it is first asked with (the liveness pass asks first).
 */
final class LoweringChooser {
    private final ModelBundle bundle;
    private final ModelSpec spec;
    private final CostModel cost;
    private final boolean pruned;
    private final Map<String, LoweringChoice> chosen = new HashMap<>();

    LoweringChooser(ModelBundle bundle, CostModel cost, boolean pruned) {
        this.bundle = bundle;
        this.spec = bundle.spec();
        this.cost = cost;
        this.pruned = pruned;
    }

    /** The lowering of the masked conv {@code l} computing {@code outputs} (sorted). */
    LoweringChoice of(Layer l, int[] outputs) {
        return chosen.computeIfAbsent(l.weightName(), k -> choose(l, outputs));
    }

    private LoweringChoice choose(Layer l, int[] outputs) {
        int kvol = l.kernelVolume();
        double pos = LayerPositions.positions(spec, l);
        double outs = outputs.length;
        double inputVoxels = LayerPositions.inputVoxels(spec, l);
        Map<Lowering, Double> est = new EnumMap<>(Lowering.class);
        est.put(Lowering.DENSE, cost.conv(2.0 * kvol * l.inChannels() * outs * pos, false));
        if (!pruned || bundle.masks().tensors().get(l.maskName()) == null) {
            return new LoweringChoice(Lowering.DENSE, null, est, pruned ? "no mask in the bundle" : "--lowering dense");
        }
        int[][] union = usedInputs(l, 1, outputs);
        if (union[0].length == 0) {
            return new LoweringChoice(Lowering.DENSE, null, est, "no active kernel: dense zeros (the layer adds only its bias)");
        }
        double kept = union[0].length;
        est.put(Lowering.GATHER, cost.conv(2.0 * kvol * kept * outs * pos, false) + cost.gather(kept * inputVoxels));
        int[][] grouped = null;
        if (spec.granularity().kind() == Granularity.Kind.GROUP) {
            int groups = spec.granularity().groups();
            grouped = usedInputs(l, groups, LiveChannels.all(l.outChannels()));
            if (Arrays.stream(grouped).mapToInt(a -> a.length).distinct().count() == 1 && grouped[0].length > 0) {
                double k = grouped[0].length;
                est.put(Lowering.GROUPED, cost.conv(2.0 * kvol * k * l.outChannels() * pos, true) + cost.gather(groups * k * inputVoxels));
            } else {
                grouped = null;
            }
        }
        // the first of equal estimates wins, in Lowering order: dense before gather before grouped
        Lowering best = est.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String reason = String.format(Locale.ROOT, "cheapest estimate (%s)", est.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.3f ms", e.getKey().label(), e.getValue())).collect(Collectors.joining(", ")));
        return switch (best) {
            case GATHER -> new LoweringChoice(Lowering.GATHER, union, est, reason);
            case GROUPED -> new LoweringChoice(Lowering.GROUPED, grouped, est, reason);
            default -> new LoweringChoice(Lowering.DENSE, null, est, reason);
        };
    }

    /** Input channels of a conv that any active kernel of the {@code outputs} (sorted) uses, per output group. */
    private int[][] usedInputs(Layer l, int groups, int[] outputs) {
        byte[] m = bundle.masks().tensors().get(l.maskName()).data();
        int outs = l.outChannels();
        int ins = l.inChannels();
        int per = outs / groups;
        int[][] used = new int[groups][];
        for (int gr = 0; gr < groups; gr++) {
            TreeSet<Integer> set = new TreeSet<>();
            for (int o : outputs) {
                if (o / per != gr) {
                    continue;
                }
                for (int i = 0; i < ins; i++) {
                    if (m[o * ins + i] != 0) {
                        set.add(i);
                    }
                }
            }
            used[gr] = set.stream().mapToInt(Integer::intValue).toArray();
        }
        return used;
    }
}
