package org.e2enet.core.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every weight layer of an E2ENet spec, in the evaluation order of its {@link Topology}, looked up by name; and
 * the naming rules of docs/network.md#parameter-names (the authors' state_dict names).
 */
public final class LayerTable {
    private final List<Layer> layers;
    private final Map<String, Layer> byWeight;

    private LayerTable(List<Layer> layers) {
        this.layers = Collections.unmodifiableList(layers);
        Map<String, Layer> map = new LinkedHashMap<>();
        for (Layer l : layers) {
            map.put(l.weightName(), l);
        }
        this.byWeight = Collections.unmodifiableMap(map);
    }

    /** Prefix of encoder unit {@code k} (0 or 1) of level {@code level} in a network of {@code pools} pools. */
    static String encoderPrefix(int level, int k, int pools) {
        return level < pools ? "conv_blocks_context." + level + ".blocks." + k : "conv_blocks_context." + pools + "." + k + ".blocks.0";
    }

    /** The {@code loc{z}.{idx}} base name of fusion node x_{i,j}: z = P - (i + j), idx = (P - z - 1) - i. */
    static String fusionBase(int i, int j, int pools) {
        int z = pools - (i + j);
        return "loc" + z + "." + ((pools - z - 1) - i);
    }

    /** The {@code up{z}.{idx}} prefix of the transposed conv feeding fusion node x_{i,j}. */
    static String upPrefix(int i, int j, int pools) {
        int z = pools - (i + j);
        return "up" + z + "." + ((pools - z - 1) - i);
    }

    /** The table of {@code spec}: its topology's layers. */
    public static LayerTable of(ModelSpec spec) {
        return new LayerTable(Topology.of(spec).layers());
    }

    /** The layers in evaluation order. */
    public List<Layer> all() {
        return layers;
    }

    /** The masked layers (fusion convs and transposed convs). */
    public List<Layer> masked() {
        return layers.stream().filter(Layer::masked).toList();
    }

    /** The layer whose weight is called {@code weightName}. */
    public Optional<Layer> byWeightName(String weightName) {
        return Optional.ofNullable(byWeight.get(weightName));
    }

    /** Every tensor name the weights file must hold, with its shape. */
    public Map<String, long[]> tensorShapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Layer l : layers) {
            shapes.put(l.weightName(), l.weightShape());
            if (l.isUnit()) {
                long c = l.outChannels();
                shapes.put(l.biasName(), new long[] {c});
                shapes.put(l.normWeightName(), new long[] {c});
                shapes.put(l.normBiasName(), new long[] {c});
            }
        }
        return shapes;
    }

    /** Number of layers. */
    public int size() {
        return layers.size();
    }
}
