package org.e2enet.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Topology;

/**
 * E2ENet's forward pass on DJL: the spec's {@link Topology} walked with tensor operations. Every Unit sees
 * the depth-shifted input; fusion nodes concatenate [x_{i,j-1}, TConv(x_{i+1,j-1}), MaxPool(x_{i-1,j-1})].
 */
public final class E2ENetModel {
    private final ModelSpec spec;
    private final Topology topology;
    private final ModelParameters params;
    private final ConvMode convMode;
    private final DeviceConstants constants;

    /**
     * A model with its own scalar constants, in the parameters' manager.
     *
     * @param spec the network
     * @param params its parameters
     * @param convMode how (1,3,3) convs run: a concrete mode, not {@link ConvMode#AUTO}
     */
    public E2ENetModel(ModelSpec spec, ModelParameters params, ConvMode convMode) {
        this(spec, params, convMode, new DeviceConstants(params.manager()));
    }

    /**
     * @param spec the network
     * @param params its parameters
     * @param convMode how (1,3,3) convs run: a concrete mode, not {@link ConvMode#AUTO}
     * @param constants the scalar constants, on the parameters' device
     */
    public E2ENetModel(ModelSpec spec, ModelParameters params, ConvMode convMode, DeviceConstants constants) {
        if (convMode == ConvMode.AUTO) {
            throw new IllegalArgumentException("ConvMode.AUTO is resolved by the engine check before a model runs");
        }
        this.spec = spec;
        this.topology = spec.topology();
        this.params = params;
        this.convMode = convMode;
        this.constants = constants;
    }

    /** The spec. */
    public ModelSpec spec() {
        return spec;
    }

    /** The parameters. */
    public ModelParameters parameters() {
        return params;
    }

    /** Runs the network on x (N, Cin, D, H, W) for training: every head's logits, full resolution first. */
    public NDList forwardAllHeads(NDArray x) {
        return new NDList(topology.walk(x, new Forward(), spec.pools() - 1));
    }

    /** Runs the network on x (N, Cin, D, H, W) for inference: head 0's logits (N, classes, D, H, W). */
    public NDArray forwardHead0(NDArray x) {
        return topology.walk(x, new Forward(), 1).get(0);
    }

    /** The tensor operations of each step. */
    private final class Forward implements Topology.Visitor<NDArray> {
        @Override
        public NDArray unit(Layer layer, NDArray x) {
            NDArray shifted = Ops.depthShift(x, spec.shiftGroups());
            NDArray w = params.get(layer.weightName());
            NDArray b = params.get(layer.biasName());
            NDArray y = Ops.conv133(shifted, w, b, layer.stride(), convMode);
            return Ops.leakyRelu(Ops.instanceNorm(y, params.get(layer.normWeightName()), params.get(layer.normBiasName()), constants));
        }

        @Override
        public NDArray fuse(Topology.Fusion node, NDArray same, NDArray below, NDArray above) {
            NDList parts = new NDList(same, Ops.transposedConv(below, params.get(node.up().weightName())));
            if (above != null) {
                parts.add(Ops.maxPool(above, node.abovePool()));
            }
            return unit(node.conv(), NDArrays.concat(parts, 1));
        }

        @Override
        public NDArray head(Layer head, NDArray x) {
            return Ops.head(x, params.get(head.weightName()));
        }
    }
}
