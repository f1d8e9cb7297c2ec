package org.e2enet.exporter;

/**
 * A tensor of the graph and, in order, the channels of the full activation it holds: a pruned export computes only
 * the channels some consumer reads, so a tensor may hold a subset.
 *
 * @param name the value's name in the graph, null when not computed
 * @param channels the channels of the full activation it holds, sorted (empty: not computed)
 */
record ChannelTensor(String name, int[] channels) {
    /** A layer output nothing reads, so not in the graph. */
    static final ChannelTensor NONE = new ChannelTensor(null, new int[0]);
}
