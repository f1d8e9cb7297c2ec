package org.e2enet.trainer.check;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.e2enet.core.check.OpCase;
import org.e2enet.core.check.OpEngine;
import org.e2enet.core.check.OpInputs;
import org.e2enet.core.check.Quantity;
import org.e2enet.core.spec.UnitBlock;
import org.e2enet.trainer.nn.ConvMode;
import org.e2enet.trainer.nn.DeviceConstants;
import org.e2enet.trainer.nn.Ops;

/** The training engine under check: each operation run through {@link Ops}, the code training runs, with DJL's autograd. */
final class TorchOpEngine implements OpEngine {
    private final ConvMode mode;
    private final Device device;

    TorchOpEngine(ConvMode mode, Device device) {
        this.mode = mode;
        this.device = device;
    }

    @Override
    public Map<Quantity, float[]> run(OpCase op, OpInputs in, boolean gradients) {
        Map<Quantity, float[]> out = new EnumMap<>(Quantity.class);
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray x = m.create(in.x(), shape(op.inputShape()));
            NDArray w = in.weight().length == 0 ? null : m.create(in.weight(), shape(op.weightShape()));
            NDArray b = in.bias().length == 0 ? null : m.create(in.bias(), new Shape(in.bias().length));
            if (gradients) {
                for (NDArray a : new NDArray[] {x, w, b}) {
                    if (a != null) {
                        a.setRequiresGradient(true);
                    }
                }
            }
            if (!gradients) {
                out.put(Quantity.FORWARD, forward(op, x, w, b).toFloatArray());
                return out;
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = forward(op, x, w, b);
                out.put(Quantity.FORWARD, y.toFloatArray());
                gc.backward(y.mul(m.create(in.upstream(), shape(op.outputShape()))).sum());
            }
            out.put(Quantity.INPUT_GRADIENT, x.getGradient().toFloatArray());
            if (w != null) {
                out.put(Quantity.WEIGHT_GRADIENT, w.getGradient().toFloatArray());
            }
            if (b != null) {
                out.put(Quantity.BIAS_GRADIENT, b.getGradient().toFloatArray());
            }
        }
        return out;
    }

    private NDArray forward(OpCase op, NDArray x, NDArray w, NDArray b) {
        return switch (op.kind()) {
            case CONV -> {
                if (!Arrays.equals(op.kernel(), UnitBlock.kernel()) || !Arrays.equals(op.padding(), UnitBlock.padding())) {
                    throw new IllegalArgumentException(op.label() + ": the training network has (1,3,3) convolutions with padding (0,1,1) only");
                }
                yield Ops.conv133(x, w, b, op.stride(), mode);
            }
            case HEAD -> Ops.head(x, w);
            case TRANSPOSED_CONV -> Ops.transposedConv(x, w);
            case MAX_POOL -> Ops.maxPool(x, op.kernel());
            case INSTANCE_NORM -> Ops.instanceNorm(x, w, b, new DeviceConstants(x.getManager()));
            case LEAKY_RELU -> Ops.leakyRelu(x);
            case DEPTH_SHIFT -> Ops.depthShift(x, op.groups());
        };
    }

    private static Shape shape(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return new Shape(l);
    }
}
