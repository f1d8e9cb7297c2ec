package org.e2enet.core.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * E2ENet's wiring (docs/network.md#topology), described once as an ordered list of typed steps in evaluation
 * order: the encoder stage x_{l,0}, then the diagonal x_{l-1,1} .. x_{0,l}, heads last. The training model,
 * the exporter and the layer table walk this one description.
 */
public final class Topology {
    /** One step of the walk. */
    public sealed interface Step permits Encoder, Fusion, Head {
        /** The weight layers of the step, in evaluation order. */
        List<Layer> layers();
    }

    /**
     * Encoder node x_{l,0}: two Units, the first reading x_{l-1,0} (the image at l = 0) with stride p_{l-1}.
     *
     * @param level l
     * @param first the (strided) first Unit
     * @param second the second Unit
     */
    public record Encoder(int level, Layer first, Layer second) implements Step {
        @Override
        public List<Layer> layers() {
            return List.of(first, second);
        }
    }

    /**
     * Fusion node x_{i,j}: {@code conv(concat[x_{i,j-1}, up(x_{i+1,j-1}), MaxPool_{abovePool}(x_{i-1,j-1}) if i >= 1])},
     * followed by {@code second} on the last diagonal (i + j = P).
     *
     * @param i row (resolution level)
     * @param j column
     * @param up the transposed conv of x_{i+1,j-1}
     * @param conv the first fusion Unit
     * @param second the second fusion Unit, or null off the last diagonal
     * @param abovePool the max-pool kernel applied to x_{i-1,j-1}, or null when i = 0
     * @param partWidths channels of the concatenated parts, in order (same, below, above)
     */
    public record Fusion(int i, int j, Layer up, Layer conv, Layer second, int[] abovePool, int[] partWidths) implements Step {
        /** Whether the node reads x_{i-1,j-1} through a max-pool. */
        public boolean hasAbove() {
            return abovePool != null;
        }

        @Override
        public int[] abovePool() {
            return abovePool == null ? null : abovePool.clone();
        }

        @Override
        public int[] partWidths() {
            return partWidths.clone();
        }

        @Override
        public List<Layer> layers() {
            return second == null ? List.of(up, conv) : List.of(up, conv, second);
        }
    }

    /**
     * Head h: a 1x1x1 conv on x_{h,P-h}.
     *
     * @param h the head index (0 = full resolution)
     * @param layer its weight layer
     */
    public record Head(int h, Layer layer) implements Step {
        @Override
        public List<Layer> layers() {
            return List.of(layer);
        }
    }

    /**
     * What a consumer does at each step; {@code T} is its value type (an NDArray, an ONNX tensor name, ...).
     *
     * @param <T> the value flowing along the graph's edges
     */
    public interface Visitor<T> {
        /** A Unit (depth shift, (1,3,3) conv, instance norm, LeakyReLU) on {@code x}. */
        T unit(Layer unit, T x);

        /**
         * The first Unit of a fusion node on the concatenation of its inputs, in this order: {@code same} =
         * x_{i,j-1}, {@code below} = x_{i+1,j-1} (through {@code node.up()}), {@code above} = x_{i-1,j-1}
         * (through a max-pool; null when i = 0).
         */
        T fuse(Fusion node, T same, T below, T above);

        /** A head on {@code x}. */
        T head(Layer head, T x);
    }

    private final int pools;
    private final List<Step> steps;

    private Topology(int pools, List<Step> steps) {
        this.pools = pools;
        this.steps = Collections.unmodifiableList(steps);
    }

    /** The topology of {@code spec}. */
    public static Topology of(ModelSpec spec) {
        int p = spec.pools();
        int[][] poolKernels = spec.poolKernels();
        int[] k = UnitBlock.kernel();
        int[] one = {1, 1, 1};
        List<Step> steps = new ArrayList<>();
        for (int l = 0; l <= p; l++) {
            int in = l == 0 ? spec.inputChannels() : spec.channels(l - 1);
            int[] stride = l == 0 ? one : poolKernels[l - 1];
            Layer first = new Layer(LayerTable.encoderPrefix(l, 0, p), LayerKind.ENCODER_CONV, l, Math.max(0, l - 1), l, 0, in,
                    spec.channels(l), k, stride);
            Layer second = new Layer(LayerTable.encoderPrefix(l, 1, p), LayerKind.ENCODER_CONV, l, l, l, 0, spec.channels(l),
                    spec.channels(l), k, one);
            steps.add(new Encoder(l, first, second));
            for (int j = 1; j <= l; j++) {
                steps.add(fusion(spec, l - j, j));
            }
        }
        for (int h = 0; h <= p - 2; h++) {
            steps.add(new Head(h, new Layer("seg_outputs." + h, LayerKind.HEAD, h, h, h, -1, spec.channels(h), spec.numClasses(), one,
                    one)));
        }
        return new Topology(p, steps);
    }

    private static Fusion fusion(ModelSpec spec, int i, int j) {
        int p = spec.pools();
        int[][] poolKernels = spec.poolKernels();
        int[] pool = poolKernels[i];
        int ci = spec.channels(i);
        int[] k = UnitBlock.kernel();
        int[] one = {1, 1, 1};
        Layer tconv = new Layer(LayerTable.upPrefix(i, j, p), LayerKind.TCONV, i, i + 1, i, j, spec.channels(i + 1), ci, pool, pool);
        int[] widths = i >= 1 ? new int[] {ci, ci, spec.channels(i - 1)} : new int[] {ci, ci};
        int cat = 0;
        for (int w : widths) {
            cat += w;
        }
        String base = LayerTable.fusionBase(i, j, p);
        Layer conv = new Layer(base + ".0.blocks.0", LayerKind.FUSION_CONV, i, i, i, j, cat, ci, k, one);
        Layer second = i + j == p ? new Layer(base + ".1.blocks.0", LayerKind.FUSION_CONV, i, i, i, j, ci, ci, k, one) : null;
        return new Fusion(i, j, tconv, conv, second, i >= 1 ? poolKernels[i - 1] : null, widths);
    }

    /** The steps in evaluation order. */
    public List<Step> steps() {
        return steps;
    }

    /** Every weight layer in evaluation order. */
    public List<Layer> layers() {
        List<Layer> out = new ArrayList<>();
        for (Step s : steps) {
            out.addAll(s.layers());
        }
        return out;
    }

    /**
     * Walks the network from {@code image}.
     *
     * @param heads how many heads to evaluate, full resolution first (1 for inference, P - 1 for training)
     * @return the heads' outputs
     */
    public <T> List<T> walk(T image, Visitor<T> visitor, int heads) {
        List<Object> flat = new ArrayList<>(Collections.nCopies((pools + 1) * (pools + 1), null));
        List<T> out = new ArrayList<>();
        for (Step s : steps) {
            if (s instanceof Encoder e) {
                T in = e.level() == 0 ? image : get(flat, e.level() - 1, 0);
                put(flat, e.level(), 0, visitor.unit(e.second(), visitor.unit(e.first(), in)));
            } else if (s instanceof Fusion f) {
                T fused = visitor.fuse(f, get(flat, f.i(), f.j() - 1), get(flat, f.i() + 1, f.j() - 1),
                        f.hasAbove() ? get(flat, f.i() - 1, f.j() - 1) : null);
                put(flat, f.i(), f.j(), f.second() == null ? fused : visitor.unit(f.second(), fused));
            } else if (s instanceof Head h && h.h() < heads) {
                out.add(visitor.head(h.layer(), get(flat, h.h(), pools - h.h())));
            }
        }
        return out;
    }

    private void put(List<Object> flat, int i, int j, Object value) {
        flat.set(i * (pools + 1) + j, value);
    }

    @SuppressWarnings("unchecked")
    private <T> T get(List<Object> flat, int i, int j) {
        return (T) flat.get(i * (pools + 1) + j);
    }
}
