package org.e2enet.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.e2enet.core.spec.Presets;
import org.e2enet.trainer.nn.DeviceConstants;
import org.junit.jupiter.api.Test;

class DeepSupervisionLossTest {
    @Test
    void knownValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] labels = {0, 1, 2, 1, 0, 2, 2, 1};
            NDArray y = m.create(labels, new Shape(1, 2, 2, 2));
            // uniform logits: CE = ln 3; Dice per class = 2 * (n_c / 3) / (n_c / 3 * ... ) computed below
            NDArray uniform = m.zeros(new Shape(1, 3, 2, 2, 2));
            double loss = DeepSupervisionLoss.single(uniform, y, new DeviceConstants(m)).getFloat();
            // class c with n voxels: tp = n/3, fp = (8 - n)/3, fn = 2n/3 -> dice = (2n/3) / (2n/3 + 8/3 - n/3 + 2n/3)
            double d1 = (2 * 3 / 3.0 + 1e-5) / (2 * 3 / 3.0 + 5 / 3.0 + 2 * 3 / 3.0 + 1e-5);
            double d2 = d1;
            assertEquals(Math.log(3) - (d1 + d2) / 2, loss, 1e-5);
            // a confident correct prediction: CE ~ 0, Dice ~ 1
            float[] logits = new float[3 * 8];
            for (int i = 0; i < 8; i++) {
                logits[(int) labels[i] * 8 + i] = 30f;
            }
            assertEquals(-1.0, DeepSupervisionLoss.single(m.create(logits, new Shape(1, 3, 2, 2, 2)), y, new DeviceConstants(m)).getFloat(), 1e-4);
            DeepSupervisionLoss ds = new DeepSupervisionLoss(Presets.get("amos"), new DeviceConstants(m));
            assertEquals(8.0 / 15, ds.weight(0), 1e-12);
            assertEquals(1.0 / 15, ds.weight(3), 1e-12);
        }
    }
}
