package org.e2enet.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.e2enet.trainer.nn.DeviceConstants;
import org.junit.jupiter.api.Test;

class NesterovSgdTest {
    @Test
    void matchesPytorchsNesterovFormulaWithDecayAndClipping() {
        float[] p0 = {0.5f, -1.0f, 2.0f};
        float[] c = {3f, -4f, 12f}; // gradient of sum(p * c); norm 13 > clip 12
        double mu = 0.9;
        double wd = 0.01;
        double lr = 0.1;
        double clip = 12;
        try (NDManager m = NDManager.newBaseManager(); NesterovSgd opt = new NesterovSgd(mu, wd, clip, new DeviceConstants(m), m)) {
            NDArray p = m.create(p0.clone(), new Shape(3));
            p.setRequiresGradient(true);
            NDArray cn = m.create(c, new Shape(3));
            double[] ref = {p0[0], p0[1], p0[2]};
            double[] buf = null;
            for (int step = 0; step < 3; step++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(p.mul(cn).sum());
                }
                double norm = opt.step(Map.of("w", p), lr).getDouble();
                assertEquals(3f, p.getGradient().toFloatArray()[0], "the step leaves the gradient for DSFF's regrowth");
                opt.clearGradients(Map.of("w", p));
                assertEquals(13.0, norm, 1e-5);
                double scale = clip / (13.0 + 1e-6);
                double[] g = new double[3];
                for (int i = 0; i < 3; i++) {
                    g[i] = c[i] * scale + wd * ref[i];
                }
                if (buf == null) {
                    buf = g.clone();
                } else {
                    for (int i = 0; i < 3; i++) {
                        buf[i] = mu * buf[i] + g[i];
                    }
                }
                for (int i = 0; i < 3; i++) {
                    ref[i] -= lr * (g[i] + mu * buf[i]);
                }
                float[] got = p.toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertEquals(ref[i], got[i], 1e-5, "step " + step + " element " + i);
                }
            }
        }
    }
}
