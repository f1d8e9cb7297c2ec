package org.e2enet.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.e2enet.core.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentPlannerTest {
    @TempDir
    Path dir;

    private static final DeploymentPlanner.Variant DENSE = new DeploymentPlanner.Variant("dense.onnx", "aa", "fp32", null);
    private static final DeploymentPlanner.Variant PRUNED = new DeploymentPlanner.Variant("pruned.onnx", "bb", "fp32", null);
    private static final DeploymentPlanner.Variant INT8_FAILED = new DeploymentPlanner.Variant("int8.onnx", "cc", "int8",
            "calibration gate failed");

    /** Fake timings: per model, divided by threads, batch 2 slightly faster per tile; ort-cuda unavailable. */
    private static final DeploymentPlanner.Measurer TIMINGS = (v, backend, threads, batch) -> {
        if (backend.equals("ort-cuda")) {
            throw new IllegalArgumentException("CUDA provider not in this build");
        }
        double base = Map.of("dense.onnx", 100.0, "pruned.onnx", 40.0, "int8.onnx", 5.0).get(v.model());
        return base / threads * (batch == 2 ? 0.9 : 1);
    };

    @Test
    void theFastestEligibleCandidateWinsAndAFailedGateIsNeverChosenOrMeasured() {
        List<String> measured = new ArrayList<>();
        DeploymentProfile p = DeploymentPlanner.plan(List.of(DENSE, PRUNED, INT8_FAILED), List.of("ort-cuda", "ort-cpu"), List.of(1, 2),
                List.of(1, 2), Long.MAX_VALUE, (v, b, t, n) -> {
                    measured.add(v.model());
                    return TIMINGS.tileMs(v, b, t, n);
                });
        assertEquals("pruned.onnx", p.model());
        assertEquals("bb", p.modelSha256());
        assertEquals("ort-cpu", p.backend());
        assertEquals(2, p.threads());
        assertEquals(2, p.batch());
        assertEquals(18.0, p.tileMs(), 1e-9);
        assertTrue(!measured.contains("int8.onnx"), "a variant whose gate failed is not even measured");
        assertEquals(3 * 2 * 2 * 2, p.candidates().size());
        assertTrue(p.candidates().stream().filter(c -> c.model().equals("int8.onnx")).allMatch(c -> c.tileMs() == null
                && c.note().equals("calibration gate failed")));
        assertTrue(p.candidates().stream().filter(c -> c.backend().equals("ort-cuda") && !c.model().equals("int8.onnx"))
                .allMatch(c -> c.note().equals("unavailable: CUDA provider not in this build")));
        assertEquals(1 + 4, measured.stream().filter(m -> m.equals("dense.onnx")).count(), "an unavailable backend is tried once per variant");
    }

    @Test
    void anExhaustedBudgetStillMeasuresTheFirstCandidateAndSaysWhatItSkipped() {
        DeploymentProfile p = DeploymentPlanner.plan(List.of(DENSE, PRUNED), List.of("ort-cpu"), List.of(1), List.of(1), -1, TIMINGS);
        assertEquals("dense.onnx", p.model());
        assertEquals("not measured: time budget spent", p.candidates().get(1).note());
        assertNull(p.candidates().get(1).tileMs());
        assertThrows(IllegalArgumentException.class, () -> DeploymentPlanner.plan(List.of(INT8_FAILED), List.of("ort-cpu"), List.of(1),
                List.of(1), Long.MAX_VALUE, TIMINGS));
    }

    @Test
    void aProfileRoundTripsAndAnythingElseIsBadInputNamingTheFile() throws Exception {
        DeploymentProfile p = DeploymentPlanner.plan(List.of(DENSE, PRUNED), List.of("ort-cpu"), List.of(1, 2), List.of(1), Long.MAX_VALUE,
                TIMINGS);
        Path f = dir.resolve("deployment.json");
        p.write(f);
        assertEquals(p, DeploymentProfile.read(f));
        Files.writeString(f, "{\"format\": \"e2enet-deployment/0\"}");
        BadInputException e = assertThrows(BadInputException.class, () -> DeploymentProfile.read(f));
        assertTrue(e.getMessage().contains("deployment.json") && e.getMessage().contains("e2enet-deployment/1"), e.getMessage());
        Files.writeString(f, "{\"format\": \"e2enet-deployment/1\", \"model\": \"m.onnx\", \"threads\": 0}");
        assertTrue(assertThrows(BadInputException.class, () -> DeploymentProfile.read(f)).getMessage().contains("threads >= 1"));
        Files.writeString(f, "not json");
        assertTrue(assertThrows(BadInputException.class, () -> DeploymentProfile.read(f)).getMessage().contains("not a deployment profile"));
    }
}
