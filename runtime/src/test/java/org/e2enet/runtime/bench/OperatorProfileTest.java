package org.e2enet.runtime.bench;

import org.e2enet.runtime.bench.OperatorProfile;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorProfileTest {
    private static String run(long ts) {
        return "{\"cat\":\"Session\",\"name\":\"model_run\",\"ts\":" + ts + ",\"dur\":900}";
    }

    private static String node(long ts, String name, String op, long durUs) {
        return "{\"cat\":\"Node\",\"name\":\"" + name + "_kernel_time\",\"ts\":" + ts + ",\"dur\":" + durUs
                + ",\"args\":{\"op_name\":\"" + op + "\"}}";
    }

    @Test
    void nodeTimesAddUpPerOperatorAndPerLayerLeavingOutTheWarmUps() throws Exception {
        // three runs: the first two are warm-ups (their nodes took far longer, as first runs do)
        String json = "[" + String.join(",", List.of(
                run(0), node(10, "loc0.0.0.blocks.0/conv_3_node", "Conv", 50_000),
                run(1000), node(1010, "loc0.0.0.blocks.0/conv_3_node", "Conv", 50_000),
                run(2000), node(2010, "loc0.0.0.blocks.0/conv_3_node", "Conv", 3_000),
                node(2020, "loc0.0.0.blocks.0/pad_1_node", "Pad", 500), node(2030, "up1.0/convtranspose_7_node", "ConvTranspose", 1_500),
                node(2040, "logits_identity", "Identity", 0))) + "]";
        OperatorProfile p = OperatorProfile.parse("m.onnx", new ObjectMapper().readTree(json), 1);
        assertEquals(1, p.runs());
        assertEquals(5.0, p.nodeMsPerTile(), 1e-9);
        assertEquals(List.of("Conv", "ConvTranspose", "Pad", "Identity"), List.copyOf(p.msPerOperator().keySet()));
        assertEquals(3.0, p.msPerOperator().get("Conv"), 1e-9);
        assertEquals(3.5, p.msPerLayer().get("loc0.0.0.blocks.0"), 1e-9);
        assertEquals(1.5, p.msPerLayer().get("up1.0"), 1e-9);
        assertEquals(0.0, p.msPerLayer().get("(graph)"), 1e-9);
    }
}
