package org.e2enet.runtime.engine;

import org.e2enet.runtime.RuntimeFixtures;
import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.engine.InferenceEngineCheck;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.check.EngineCheckReport;
import org.e2enet.core.check.NetworkOps;
import org.e2enet.core.check.OpCase;
import org.e2enet.core.check.OpKind;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime on the CPU, held to the float64 reference on the presets' operations and on an exported graph's own. */
class InferenceEngineCheckTest {
    @TempDir
    Path dir;

    @Test
    void onnxRuntimeComputesThePresetsOperationsRight() {
        List<OpCase> ops = NetworkOps.of(List.of(Presets.get("tiny"), Presets.get("small")));
        EngineCheckReport r = InferenceEngineCheck.run(ops, Backend.ORT_CPU, BackendOptions.cpu(2));
        assertTrue(r.passed(), r.summary());
        long shifts = ops.stream().filter(o -> o.kind() == OpKind.DEPTH_SHIFT).count();
        assertEquals(ops.size() - shifts, r.worstPerOperation().size(), "every operation but the depth shift's data movement");
        assertTrue(r.engine().startsWith("ONNX Runtime ") && r.engine().endsWith("(ort-cpu)"), r.engine());
    }

    @Test
    void anExportedGraphIsCheckedAtItsOwnPrunedChannelCounts() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path onnx = RuntimeFixtures.export(spec, dir, 5);
        NetworkOps.GraphOps graph = NetworkOps.of(E2eNetOnnx.read(onnx));
        List<String> dense = NetworkOps.of(spec).stream().map(OpCase::label).toList();
        assertTrue(graph.ops().stream().anyMatch(o -> o.kind() == OpKind.CONV && !dense.contains(o.label())),
                "channel pruning leaves convolutions the dense network does not have: " + graph.ops());
        assertTrue(graph.ops().stream().anyMatch(o -> o.kind() == OpKind.HEAD), graph.ops().toString());
        assertTrue(graph.ops().stream().anyMatch(o -> o.kind() == OpKind.INSTANCE_NORM), graph.ops().toString());
        assertFalse(graph.ops().isEmpty());
        EngineCheckReport r = InferenceEngineCheck.run(graph.ops(), Backend.ORT_CPU, BackendOptions.cpu(2));
        assertTrue(r.passed(), r.summary());
    }
}
