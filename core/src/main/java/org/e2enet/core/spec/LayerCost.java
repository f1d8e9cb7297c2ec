package org.e2enet.core.spec;

/**
 * The cost of one layer under the conventions of docs/network.md#accounting.
 *
 * @param name the weight tensor's name
 * @param kind layer kind
 * @param inChannels input channels
 * @param outChannels output channels
 * @param kernels dim0 * dim1
 * @param activeKernels kernels with a 1 in the mask (all of them when not masked)
 * @param params parameters counted by Eq. 4 (active kernels x kernel volume, plus bias and norm)
 * @param paperFlops Eq. 5 FLOPs (transposed convs at their output resolution, fusion constant included)
 * @param trueFlops 2 x multiply-adds actually executed with the mask applied (transposed convs at input resolution)
 * @param denseTrueFlops {@code trueFlops} with every kernel active
 */
public record LayerCost(String name, LayerKind kind, int inChannels, int outChannels, long kernels, long activeKernels,
                        long params, long paperFlops, long trueFlops, long denseTrueFlops) {
}
