package org.e2enet.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.UnitBlock;

/**
 * The network's parameters by their names (docs/network.md#parameter-names), living in one manager, all requiring gradients.
 */
public final class ModelParameters implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> params;

    private ModelParameters(NDManager manager, Map<String, NDArray> params) {
        this.manager = manager;
        this.params = params;
        params.values().forEach(p -> p.setRequiresGradient(true));
    }

    /**
     * Kaiming-normal initialisation with a = 0.01 over fan_in (for transposed-conv weights (in, out, k..) PyTorch's
     * fan_in is out * prod(k)), zero biases, gamma 1 and beta 0.
     */
    public static ModelParameters initialise(ModelSpec spec, NDManager parent, long seed) {
        NDManager m = parent.newSubManager();
        Random rnd = new Random(seed);
        double gain = Math.sqrt(2.0 / (1 + UnitBlock.LEAKY_RELU_SLOPE * UnitBlock.LEAKY_RELU_SLOPE));
        Map<String, NDArray> p = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : spec.layers().tensorShapes().entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            float[] v = new float[(int) n];
            if (name.endsWith("instnorm.weight")) {
                java.util.Arrays.fill(v, 1f);
            } else if (shape.length == 5) {
                double fanIn = shape[1] * shape[2] * shape[3] * shape[4];
                double std = gain / Math.sqrt(fanIn);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rnd.nextGaussian() * std);
                }
            }
            p.put(name, m.create(v, new Shape(shape)));
        }
        return new ModelParameters(m, p);
    }

    /** Parameters from a weights file (names and shapes checked by the bundle reader). */
    public static ModelParameters fromTensors(ModelSpec spec, SafeTensors weights, NDManager parent) {
        NDManager m = parent.newSubManager();
        Map<String, NDArray> p = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : spec.layers().tensorShapes().entrySet()) {
            Tensor t = weights.tensors().get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("missing tensor '" + e.getKey() + "'");
            }
            p.put(e.getKey(), m.create(t.floats(), new Shape(e.getValue())));
        }
        return new ModelParameters(m, p);
    }

    /** The parameter called {@code name}. */
    public NDArray get(String name) {
        NDArray a = params.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return a;
    }

    /** All parameters in layer-table order. */
    public Map<String, NDArray> all() {
        return Collections.unmodifiableMap(params);
    }

    /** The manager holding the parameters. */
    public NDManager manager() {
        return manager;
    }

    /** The weights as safetensors (float32). */
    public SafeTensors toTensors() {
        List<Tensor> out = new ArrayList<>();
        params.forEach((n, a) -> out.add(Tensor.ofFloats(n, a.getShape().getShape(), a.toFloatArray())));
        return SafeTensors.of(out);
    }

    @Override
    public void close() {
        manager.close();
    }
}
