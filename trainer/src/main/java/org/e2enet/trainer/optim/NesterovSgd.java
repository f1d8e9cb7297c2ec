package org.e2enet.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.e2enet.trainer.nn.DeviceConstants;

/**
 * SGD with Nesterov momentum and coupled weight decay, exactly as PyTorch's {@code torch.optim.SGD(nesterov=True)}
 * (DJL's Nesterov does not work): g = clip(grad) + wd * p; buf = mu * buf + g (buf = g on the first step);
 * p -= lr * (g + mu * buf). Gradients are first scaled so their global L2 norm is at most {@code clipNorm}
 * (torch.nn.utils.clip_grad_norm_). A step runs wholly on the parameters' device: the global norm and the clip
 * scale are computed there, in float64, and its scalars come from {@link DeviceConstants}, so it reads nothing
 * back and creates no scalar once its values exist.
 */
public final class NesterovSgd implements AutoCloseable {
    /** clip_grad_norm_'s guard against a zero norm. */
    private static final double NORM_GUARD = 1e-6;
    private final NDArray momentum;
    private final NDArray weightDecay;
    private final NDArray clipNorm;
    private final NDArray normGuard;
    private final NDArray one;
    private final NDArray zero;
    private final DeviceConstants constants;
    private final NDManager manager;
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    /** The last step's gradient norm, closed by the next step. */
    private NDArray norm;

    /**
     * @param momentum mu (0.99 in nnU-Net)
     * @param weightDecay wd (3e-5)
     * @param clipNorm gradient norm cap (12)
     * @param constants the scalar constants, on the parameters' device
     * @param parent manager for the momentum buffers
     */
    public NesterovSgd(double momentum, double weightDecay, double clipNorm, DeviceConstants constants, NDManager parent) {
        this.momentum = constants.float32((float) momentum);
        this.weightDecay = constants.float32((float) weightDecay);
        this.clipNorm = constants.float64(clipNorm);
        this.normGuard = constants.float64(NORM_GUARD);
        this.one = constants.float64(1);
        this.zero = constants.float32(0);
        this.constants = constants;
        this.manager = parent.newSubManager();
    }

    /** The momentum buffers by parameter name (empty before the first step). */
    public Map<String, NDArray> buffers() {
        return buffers;
    }

    /** Restores a momentum buffer (resume). */
    public void setBuffer(String name, float[] values, ai.djl.ndarray.types.Shape shape) {
        NDArray old = buffers.put(name, manager.create(values, shape));
        if (old != null) {
            old.close();
        }
    }

    /**
     * One step on every parameter that has a gradient. The gradients are left as they are, for whoever reads them
     * before the next backward pass (DSFF's gradient regrowth); {@link #clearGradients} clears them.
     *
     * @param lr the learning rate (a device scalar is made once per distinct value)
     * @return the global gradient norm before clipping, a float64 scalar on the device, valid until the next step
     *         (reading it waits for the device)
     */
    public NDArray step(Map<String, NDArray> params, double lr) {
        NDArray rate = constants.float32((float) lr);
        try (NDManager tmp = manager.newSubManager()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            NDList squares = new NDList();
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray g = e.getValue().getGradient();
                g.attach(tmp);
                grads.put(e.getKey(), g);
                squares.add(g.square().sum());
            }
            NDArray total = NDArrays.stack(squares).toType(DataType.FLOAT64, false).sum().sqrt();
            NDArray scale = clipScale(total, tmp);
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray p = e.getValue();
                NDArray g = grads.get(e.getKey()).mul(scale);
                NDArray decay = p.mul(weightDecay);
                decay.attach(tmp);
                g = g.add(decay);
                NDArray buf = buffers.get(e.getKey());
                if (buf == null) {
                    buf = g.duplicate();
                    buf.attach(manager);
                    buffers.put(e.getKey(), buf);
                } else {
                    buf.muli(momentum).addi(g);
                }
                NDArray lookahead = buf.mul(momentum);
                lookahead.attach(tmp);
                NDArray update = g.add(lookahead).muli(rate);
                p.subi(update);
            }
            if (norm != null) {
                norm.close();
            }
            norm = total;
            norm.attach(manager);
            return norm;
        }
    }

    /** Sets every parameter's gradient to zero, before a backward pass (which adds to them). */
    public void clearGradients(Map<String, NDArray> params) {
        for (NDArray p : params.values()) {
            try (NDArray g = p.getGradient()) {
                g.muli(zero);
            }
        }
    }

    /**
     * The float32 factor on every gradient: clipNorm / (norm + 1e-6) where the norm exceeds clipNorm, else 1 (so a
     * NaN norm leaves the gradients as they are); its temporaries in {@code tmp}.
     */
    private NDArray clipScale(NDArray total, NDManager tmp) {
        NDArray ratio = clipNorm.div(total.add(normGuard));
        ratio.attach(tmp);
        return NDArrays.where(total.gt(clipNorm), ratio, one).toType(DataType.FLOAT32, false);
    }

    @Override
    public void close() {
        manager.close();
    }
}
