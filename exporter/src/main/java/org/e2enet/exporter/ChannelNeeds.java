package org.e2enet.exporter;

import java.util.Arrays;
import java.util.Map;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.LayerKind;
import org.e2enet.core.spec.ModelSpec;

/**
 * What each layer computes and reads: when pruning, the output channels some consumer reads and the input channels
 * computing them takes ({@link LiveChannels}, backwards from head 0); otherwise every channel.
 */
final class ChannelNeeds {
    private final ModelBundle bundle;
    private final LoweringChooser chooser;
    private final boolean pruned;
    private final Map<String, LiveChannels.Need> needs;

    ChannelNeeds(ModelBundle bundle, LoweringChooser chooser, boolean pruned) {
        this.bundle = bundle;
        this.chooser = chooser;
        this.pruned = pruned;
        ModelSpec spec = bundle.spec();
        this.needs = pruned ? LiveChannels.of(spec.topology(), spec.pools(), this::need) : Map.of();
    }

    /** What {@code l} computes and reads. */
    LiveChannels.Need of(Layer l) {
        return pruned ? needs.getOrDefault(l.weightName(), LiveChannels.Need.NOTHING)
                : new LiveChannels.Need(LiveChannels.all(l.outChannels()), LiveChannels.all(l.inChannels()));
    }

    /**
     * What {@code l} computes and reads when {@code live} of its outputs are read: a grouped conv computes every
     * output, a transposed conv reads the inputs some active kernel of its live outputs uses, a masked conv the
     * inputs its lowering reads, any other layer all its inputs.
     */
    private LiveChannels.Need need(Layer l, int[] live) {
        int ins = l.inChannels();
        if (l.kind() == LayerKind.TCONV) {
            Tensor mask = bundle.masks().tensors().get(l.maskName());
            if (mask == null) {
                return new LiveChannels.Need(live, LiveChannels.all(ins));
            }
            byte[] m = mask.data();
            int outs = l.outChannels();
            int[] inputs = Arrays.stream(LiveChannels.all(ins)).filter(i -> Arrays.stream(live).anyMatch(o -> m[i * outs + o] != 0)).toArray();
            // every live output is zero: a constant zero tensor of the right shape is the transposed conv of one zero weight
            return new LiveChannels.Need(live, inputs.length == 0 ? new int[] {0} : inputs);
        }
        if (!l.masked()) {
            return new LiveChannels.Need(live, LiveChannels.all(ins));
        }
        LoweringChoice c = chooser.of(l, live);
        return switch (c.lowering()) {
            case GATHER -> new LiveChannels.Need(live, c.union());
            case GROUPED -> new LiveChannels.Need(LiveChannels.all(l.outChannels()), c.union());
            default -> new LiveChannels.Need(live, LiveChannels.all(ins));
        };
    }
}
