package org.e2enet.trainer.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.check.EngineCheckFailedException;
import org.e2enet.core.check.EngineCheckReport;
import org.e2enet.core.check.NetworkOps;
import org.e2enet.core.check.OpCase;
import org.e2enet.core.spec.DsffSettings;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Presets;
import org.e2enet.trainer.loop.TrainerTest;
import org.e2enet.trainer.nn.ConvMode;
import org.e2enet.trainer.nn.E2ENetModelTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The training engine on this machine, held to the float64 reference over every layer shape of the presets
 * and of the tests' networks: when the engine computes wrong numbers, this test names the operation and the
 * shape, instead of training runs diverging elsewhere.
 */
class TrainingEngineCheckTest {
    /** The presets' networks and the networks the tests train. */
    static List<ModelSpec> specs() {
        List<ModelSpec> specs = new ArrayList<>();
        for (String name : Presets.names()) {
            specs.add(Presets.get(name));
        }
        specs.add(TrainerTest.SPEC);
        specs.add(E2ENetModelTest.spec(3, true, 5));
        specs.add(E2ENetModelTest.spec(5, false, 3));
        specs.add(new ModelSpec(1, 3, 4, 16, new int[][] {{2, 2, 2}, {2, 2, 2}}, 3, new int[] {16, 32, 32}, 0.6, Granularity.CHANNEL,
                DsffSettings.PAPER));
        return specs;
    }

    @Test
    void theAutomaticChoiceComputesEveryOperationOfEveryNetworkRight() {
        List<OpCase> ops = NetworkOps.of(specs());
        try {
            TrainingEngineCheck.Choice c = TrainingEngineCheck.choose(ops, ConvMode.AUTO, Device.cpu());
            assertTrue(c.chosen().passed());
            assertEquals(ops.size(), c.chosen().worstPerOperation().size(), "every operation was checked");
            assertTrue(c.chosen().maxRelError() < 1e-5, c.chosen().summary());
        } catch (EngineCheckFailedException e) {
            fail(e.getMessage());
        }
    }

    @Test
    void theChannelPaddedConvolutionIsRightWhereverTheRawOneIs() {
        ModelSpec spec = TrainerTest.SPEC;
        EngineCheckReport raw = TrainingEngineCheck.run(NetworkOps.of(spec), ConvMode.CONV3D, Device.cpu());
        EngineCheckReport padded = TrainingEngineCheck.run(NetworkOps.of(spec), ConvMode.CONV3D_PADDED, Device.cpu());
        assertTrue(padded.passed(), padded.summary());
        assertTrue(padded.engine().endsWith("conv3d-padded") && raw.engine().endsWith(", conv3d"), raw.engine());
    }

    @Test
    void aModeTheEngineComputesWrongHereIsRefusedInOneLineNamingOperationErrorAndCpu() {
        ModelSpec spec = TrainerTest.SPEC;
        EngineCheckReport raw = TrainingEngineCheck.run(NetworkOps.of(spec), ConvMode.CONV3D, Device.cpu());
        Assumptions.assumeFalse(raw.passed(), "libtorch's conv3d computes every shape of the spec right on this CPU ("
                + TrainingEngineCheck.cpu() + "): nothing to refuse here");
        EngineCheckFailedException e = assertThrows(EngineCheckFailedException.class,
                () -> TrainingEngineCheck.choose(spec, ConvMode.CONV3D, Device.cpu()));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.startsWith("the training engine computes wrong numbers on this CPU (" + TrainingEngineCheck.cpu() + "): "), m);
        assertTrue(m.contains("conv ") && m.contains("max relative error") && m.endsWith("--conv auto chooses a mode that computes right"), m);
        assertFalse(e.report().passed());
    }
}
