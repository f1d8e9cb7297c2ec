package org.e2enet.trainer.loop;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Locale;
import org.e2enet.core.io.BadInputException;
import org.e2enet.trainer.data.Batch;
import org.e2enet.trainer.dsff.Dsff;
import org.e2enet.trainer.nn.E2ENetModel;
import org.e2enet.trainer.optim.NesterovSgd;

/**
 * One training iteration: forward with all heads, deep-supervision loss, backward, Nesterov step, masks
 * re-applied to weights and momentum. The gradients stay until the next iteration clears them, so that a DSFF update
 * right after the step regrows by this iteration's gradients. Every temporary lives in a per-iteration manager that is closed at
 * the end, so the number of live arrays stays flat however long training runs. The loss is the one value an
 * iteration reads back from the device (a synchronisation on a GPU); the network, loss and optimizer take their
 * scalars from {@link org.e2enet.trainer.nn.DeviceConstants}.
 */
public final class TrainingStep {
    private final E2ENetModel model;
    private final DeepSupervisionLoss loss;
    private final NesterovSgd optimizer;
    private final Dsff dsff;
    private final NDManager base;
    private final StepTimes times;
    private long hostReads;
    /** Whether a step ran: its gradients are cleared before the next backward pass, not after the step. */
    private boolean stepped;

    /**
     * @param dsff the masks, or null for a dense network
     * @param base the manager under which per-iteration managers are opened
     */
    public TrainingStep(E2ENetModel model, DeepSupervisionLoss loss, NesterovSgd optimizer, Dsff dsff, NDManager base, StepTimes times) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.dsff = dsff;
        this.base = base;
        this.times = times;
    }

    /** Trains on one batch at learning rate {@code lr}; returns the loss. */
    public double run(Batch batch, double lr, long dataWaitNanos) {
        long b = System.nanoTime();
        if (stepped) {
            optimizer.clearGradients(model.parameters().all());
        }
        long c;
        double value;
        try (NDManager im = base.newSubManager()) {
            NDArray x = im.create(batch.images(), new Shape(batch.shape()));
            long[] s = batch.shape();
            NDArray y = im.create(batch.labels(), new Shape(s[0], s[2], s[3], s[4]));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList heads = model.forwardAllHeads(x);
                NDArray l = loss.compute(heads, y);
                c = System.nanoTime();
                gc.backward(l);
                value = readLoss(l);
            }
        } catch (EngineException e) {
            throw outOfMemory(e, batch);
        }
        long d = System.nanoTime();
        optimizer.step(model.parameters().all(), lr);
        stepped = true;
        if (dsff != null) {
            dsff.apply(model.parameters().all(), List.of(optimizer.buffers()));
        }
        times.add(dataWaitNanos, c - b, d - c, System.nanoTime() - d);
        if (!Double.isFinite(value)) {
            throw new TrainingDivergedException(value);
        }
        return value;
    }

    /** The iteration's one read from the device, counted. */
    private double readLoss(NDArray loss) {
        hostReads++;
        return loss.getFloat();
    }

    /** Values read back from the device so far: one per iteration. */
    long hostReads() {
        return hostReads;
    }

    private static RuntimeException outOfMemory(EngineException e, Batch batch) {
        String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (msg.contains("out of memory") || msg.contains("can't allocate") || msg.contains("cannot allocate")) {
            return new BadInputException("out of memory on the device for a batch of shape " + java.util.Arrays.toString(batch.shape())
                    + "; lower --batch-size or the spec's patch size", e);
        }
        return e;
    }
}
