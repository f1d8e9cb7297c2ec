package org.e2enet.trainer.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.trainer.nn.DeviceConstants;

/**
 * nnU-Net's loss with deep supervision (docs/network.md#loss): sum over heads h of w_h (CE + soft Dice), w_h
 * proportional to 2^-h normalised to 1, the label downsampled to each head's resolution by nearest
 * neighbour (the voxel at (o + 0.5) * f - 0.5, rounded, as nnU-Net's order-0 resize picks). Dice is batch
 * Dice over foreground classes with smooth 1e-5, entering the loss as -mean(dice).
 */
public final class DeepSupervisionLoss {
    /** Dice smoothing. */
    public static final float SMOOTH = 1e-5f;
    private final ModelSpec spec;
    private final DeviceConstants constants;
    private final double[] weights;

    /**
     * @param spec the network (its pools give head resolutions)
     * @param constants the scalar constants, on the device the loss is computed on
     */
    public DeepSupervisionLoss(ModelSpec spec, DeviceConstants constants) {
        this.spec = spec;
        this.constants = constants;
        int heads = spec.pools() - 1;
        weights = new double[heads];
        double sum = 0;
        for (int h = 0; h < heads; h++) {
            weights[h] = Math.pow(2, -h);
            sum += weights[h];
        }
        for (int h = 0; h < heads; h++) {
            weights[h] /= sum;
        }
    }

    /** Weight of head h. */
    public double weight(int h) {
        return weights[h];
    }

    /** The loss of all heads against {@code target} (N, D, H, W), class indices as floats or ints. */
    public NDArray compute(NDList heads, NDArray target) {
        NDArray total = null;
        for (int h = 0; h < heads.size(); h++) {
            NDArray t = downsample(target, h);
            NDArray term = single(heads.get(h), t, constants).mul(constants.float32((float) weights[h]));
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /**
     * CE + (-soft Dice) of one head's logits (N, K, D, H, W) against labels (N, D, H, W).
     *
     * @param constants the scalar constants, on the logits' device
     */
    public static NDArray single(NDArray logits, NDArray labels, DeviceConstants constants) {
        int k = (int) logits.getShape().get(1);
        NDArray oneHot = labels.toType(DataType.INT64, false).oneHot(k).transpose(0, 4, 1, 2, 3).toType(DataType.FLOAT32, false);
        NDArray logp = logits.logSoftmax(1);
        NDArray ce = logp.mul(oneHot).sum(new int[] {1}).mean().neg();
        NDArray p = logp.exp();
        // batch dice: sum over batch and space per class
        NDArray pc = p.transpose(1, 0, 2, 3, 4).reshape(k, -1);
        NDArray yc = oneHot.transpose(1, 0, 2, 3, 4).reshape(k, -1);
        NDArray tp = pc.mul(yc).sum(new int[] {1});
        NDArray fp = pc.sum(new int[] {1}).sub(tp);
        NDArray fn = yc.sum(new int[] {1}).sub(tp);
        NDArray twoTp = tp.mul(constants.float32(2));
        NDArray smooth = constants.float32(SMOOTH);
        NDArray dice = twoTp.add(smooth).div(twoTp.add(fp).add(fn).add(smooth).clip(1e-8f, Float.MAX_VALUE));
        NDArray fgDice = dice.get(new NDIndex("1:")).mean();
        return ce.sub(fgDice);
    }

    /** The label at head h's resolution. */
    NDArray downsample(NDArray target, int h) {
        if (h == 0) {
            return target;
        }
        int[] f = {1, 1, 1};
        for (int l = 0; l < h; l++) {
            for (int a = 0; a < 3; a++) {
                f[a] *= spec.poolKernels()[l][a];
            }
        }
        return target.get(new NDIndex(":, {}::{}, {}::{}, {}::{}", f[0] / 2, f[0], f[1] / 2, f[1], f[2] / 2, f[2]));
    }
}
