package org.e2enet.exporter;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.Topology;

/**
 * Which output channels of each layer some consumer reads, found backwards from head 0 over the topology.
 * A fusion node's output is read only by masked layers (the next fusion conv on its level, the transposed
 * conv of the level above, the max-pool into the level below), each reading only the channels its mask keeps;
 * a channel none of them reads need not be computed. Instance norm and LeakyReLU act per channel, so dropping
 * such a channel from the producing conv changes nothing else: the export stays exact.
 */
final class LiveChannels {
    /**
     * What a layer computes for a set of live outputs.
     *
     * @param outputs the output channels it computes, sorted (a superset of the live ones, e.g. all of them for a
     *     grouped conv; empty: the layer is not computed)
     * @param inputs the input channels it then reads, sorted
     */
    record Need(int[] outputs, int[] inputs) {
        static final Need NOTHING = new Need(new int[0], new int[0]);
    }

    private LiveChannels() {
    }

    /**
     * Each layer's need, by weight name, when only head 0 is evaluated.
     *
     * @param need what a layer computes and reads given its live output channels (sorted)
     */
    static Map<String, Need> of(Topology topology, int pools, BiFunction<Layer, int[], Need> need) {
        Map<String, Need> out = new HashMap<>();
        Map<Integer, TreeSet<Integer>> reads = new HashMap<>();
        List<Topology.Step> steps = topology.steps();
        for (int s = steps.size() - 1; s >= 0; s--) {
            Topology.Step step = steps.get(s);
            if (step instanceof Topology.Head h) {
                if (h.h() == 0) {
                    Need n = put(out, h.layer(), need, all(h.layer().outChannels()));
                    read(reads, pools, 0, pools, n.inputs(), 0, Integer.MAX_VALUE);
                }
            } else if (step instanceof Topology.Fusion f) {
                int[] live = live(reads, pools, f.i(), f.j());
                if (f.second() != null) {
                    live = put(out, f.second(), need, live).inputs();
                }
                int[] union = put(out, f.conv(), need, live).inputs();
                int[] widths = f.partWidths();
                read(reads, pools, f.i(), f.j() - 1, union, 0, widths[0]);
                int[] upOutputs = Arrays.stream(union).filter(c -> c >= widths[0] && c < widths[0] + widths[1])
                        .map(c -> c - widths[0]).toArray();
                read(reads, pools, f.i() + 1, f.j() - 1, put(out, f.up(), need, upOutputs).inputs(), 0, Integer.MAX_VALUE);
                if (f.hasAbove()) {
                    read(reads, pools, f.i() - 1, f.j() - 1, union, widths[0] + widths[1], widths[0] + widths[1] + widths[2]);
                }
            } else if (step instanceof Topology.Encoder e) {
                int[] live = live(reads, pools, e.level(), 0);
                int[] firstOutputs = put(out, e.second(), need, live).inputs();
                int[] in = put(out, e.first(), need, firstOutputs).inputs();
                if (e.level() > 0) {
                    read(reads, pools, e.level() - 1, 0, in, 0, Integer.MAX_VALUE);
                }
            }
        }
        return out;
    }

    private static Need put(Map<String, Need> out, Layer l, BiFunction<Layer, int[], Need> need, int[] live) {
        Need n = live.length == 0 ? Need.NOTHING : need.apply(l, live);
        out.put(l.weightName(), n);
        return n;
    }

    /** Marks the channels {@code lo <= c < hi} of {@code channels}, less {@code lo}, as read from x_{i,j}. */
    private static void read(Map<Integer, TreeSet<Integer>> reads, int pools, int i, int j, int[] channels, int lo, int hi) {
        TreeSet<Integer> set = reads.computeIfAbsent(i * (pools + 1) + j, k -> new TreeSet<>());
        for (int c : channels) {
            if (c >= lo && c < hi) {
                set.add(c - lo);
            }
        }
    }

    private static int[] live(Map<Integer, TreeSet<Integer>> reads, int pools, int i, int j) {
        TreeSet<Integer> set = reads.get(i * (pools + 1) + j);
        return set == null ? new int[0] : set.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] all(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
