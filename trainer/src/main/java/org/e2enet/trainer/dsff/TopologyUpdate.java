package org.e2enet.trainer.dsff;

/**
 * What one topology update did to one tensor.
 *
 * @param weight the weight's name
 * @param active active units after the update, over all of the tensor's pools (unchanged by construction), so that
 *     {@code pruned / active} is the share of them the update replaced
 * @param pruned units deactivated (smallest L1)
 * @param regrown units activated
 * @param regrownNew regrown units that were not among those just pruned
 */
public record TopologyUpdate(String weight, int active, int pruned, int regrown, int regrownNew) {
}
