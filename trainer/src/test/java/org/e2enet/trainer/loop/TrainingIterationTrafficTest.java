package org.e2enet.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Presets;
import org.e2enet.trainer.data.Batch;
import org.e2enet.trainer.dsff.Dsff;
import org.e2enet.trainer.nn.ConvMode;
import org.e2enet.trainer.nn.DeviceConstants;
import org.e2enet.trainer.nn.E2ENetModel;
import org.e2enet.trainer.nn.ModelParameters;
import org.e2enet.trainer.optim.NesterovSgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The device traffic of a training iteration, counted on the CPU: scalars made from the host ({@link DeviceConstants})
 * and values read back ({@link TrainingStep}'s one read). {@link TrainingPathBytecodeTest} checks that no code on the
 * path goes around either count. The counts do not depend on the patch, so the networks run on the smallest patch
 * their pools allow.
 */
class TrainingIterationTrafficTest {
    private static final int ITERATIONS = 3;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny", "amos"})
    void afterTheFirstIterationNoScalarIsMadeAndOnlyTheLossIsRead(String preset) {
        ModelSpec spec = Presets.get(preset).withPatchSize(new int[] {32, 32, 32});
        try (NDManager base = NDManager.newBaseManager(Device.cpu()); DeviceConstants constants = new DeviceConstants(base);
             ModelParameters params = ModelParameters.initialise(spec, base, 1); NesterovSgd opt = new NesterovSgd(0.99, 3e-5, 12, constants, base);
             Dsff dsff = Dsff.initialise(spec, base, new SplittableRandom(2))) {
            TrainingStep step = new TrainingStep(new E2ENetModel(spec, params, ConvMode.CONV3D_PADDED, constants),
                    new DeepSupervisionLoss(spec, constants), opt, dsff, base, new StepTimes());
            Batch batch = batch(spec);
            step.run(batch, 0.01, 0);
            int made = constants.created();
            for (int i = 1; i < ITERATIONS; i++) {
                step.run(batch, 0.01, 0);
                assertEquals(made, constants.created(), "scalars made from the host by iteration " + (i + 1));
            }
            assertEquals(ITERATIONS, step.hostReads(), "values read from the device in " + ITERATIONS + " iterations");
            step.run(batch, 0.005, 0);
            assertEquals(made + 1, constants.created(), "a new learning rate (once an epoch) makes one scalar");
            System.out.printf(Locale.ROOT, "%s (%d parameter tensors): %d scalars made up to the end of the first iteration, 0 per iteration after; "
                    + "%d host read per iteration%n", preset, params.all().size(), made, step.hostReads() / (ITERATIONS + 1));
        }
    }

    /** One random (1, C, 32, 32, 32) patch with random labels. */
    private static Batch batch(ModelSpec spec) {
        int[] p = spec.patchSize();
        int voxels = p[0] * p[1] * p[2];
        Random rng = new Random(5);
        float[] images = new float[spec.inputChannels() * voxels];
        float[] labels = new float[voxels];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < voxels; i++) {
            labels[i] = rng.nextInt(spec.numClasses());
        }
        return new Batch(images, labels, new long[] {1, spec.inputChannels(), p[0], p[1], p[2]});
    }
}
