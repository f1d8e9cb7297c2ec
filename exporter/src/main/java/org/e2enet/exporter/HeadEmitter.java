package org.e2enet.exporter;

import java.util.Map;
import org.e2enet.core.onnx.Lowering;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.core.spec.Layer;

/** The ONNX node of a head: a 1x1x1 Conv without bias, never masked, on every channel of its level. */
final class HeadEmitter {
    private final OnnxBuilder g;
    private final PrunedWeights weights;
    private final LayerRecords records;
    private final ChannelGather channels;

    HeadEmitter(OnnxBuilder g, PrunedWeights weights, LayerRecords records, ChannelGather channels) {
        this.g = g;
        this.weights = weights;
        this.records = records;
        this.channels = channels;
    }

    /** The head {@code head} on {@code x}. */
    ChannelTensor of(Layer head, ChannelTensor x) {
        g.scope(head.prefix());
        float[] w = weights.masked(head);
        String wn = g.floats(head.weightName(), w, head.weightShape());
        records.lowered(head, Lowering.DENSE, "not masked", Map.of(), head.inChannels(), head.outChannels(), w.length, w.length);
        int[] k = head.kernel();
        String conv = g.node("Conv", new String[] {channels.select(x, LiveChannels.all(head.inChannels())), wn},
                Map.of("kernel_shape", new long[] {k[0], k[1], k[2]}));
        return new ChannelTensor(conv, LiveChannels.all(head.outChannels()));
    }
}
