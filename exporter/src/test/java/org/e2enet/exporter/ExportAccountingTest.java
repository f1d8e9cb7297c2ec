package org.e2enet.exporter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.onnx.LayerExport;
import org.e2enet.core.onnx.Lowering;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.Accounting;
import org.e2enet.core.spec.LayerCost;
import org.e2enet.core.spec.LayerKind;
import org.e2enet.core.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportAccountingTest {
    @TempDir
    Path dir;

    private static long inferenceParams(Accounting a) {
        return a.layers().stream().filter(c -> c.kind() != LayerKind.HEAD || c.name().equals("seg_outputs.0.weight"))
                .mapToLong(LayerCost::params).sum();
    }

    @Test
    void channelPrunedGraphFlopsAndParamsMatchTheAccounting() throws Exception {
        ModelSpec spec = ExportParityTest.spec(4, 3, false, "channel");
        Path bundle = ExportParityTest.randomBundle(spec, dir, 11);
        Path out = dir.resolve("m.onnx");
        ExportReport r = ModelExport.run(bundle, out, ExportOptions.PRUNED, ExportReport.besideModel(out));
        assertTrue(Files.isRegularFile(dir.resolve("m.export.json")));
        assertTrue(r.layers().stream().filter(l -> l.name().startsWith("loc"))
                .allMatch(l -> l.lowering() == Lowering.GATHER || l.lowering() == Lowering.NOT_COMPUTED && l.storedParams() == 0),
                "channel granularity lowers fusion convs to Gather + dense conv, or leaves out one whose outputs nobody reads");
        assertTrue(r.layers().stream().filter(l -> l.name().startsWith("up"))
                .allMatch(l -> l.lowering() == Lowering.GATHER || l.lowering() == Lowering.NOT_COMPUTED && l.storedParams() == 0),
                "transposed convs are gathered, or not computed (and store nothing) when their fusion conv reads none of their outputs");
        assertEquals(r.loweredTrueFlops(), r.graphTrueFlops(), 0.01 * r.loweredTrueFlops(), "graph FLOPs within 1% of the lowering's");
        assertTrue(r.graphTrueFlops() < r.expectedTrueFlops(), "fusion outputs that no masked consumer reads are not computed");
        Accounting masked = Accounting.of(spec, ModelBundle.read(bundle)::activeKernels);
        int dropped = 0;
        for (LayerExport l : r.layers()) {
            if (l.kind().equals("fusion_conv") && l.lowering() == Lowering.GATHER) {
                LayerCost c = masked.layers().stream().filter(a -> a.name().equals(l.name())).findFirst().orElseThrow();
                assertEquals(c.trueFlops() * l.outputs(), l.trueFlops() * c.outChannels(),
                        l.name() + ": a channel-pruned conv executes the accounting's true FLOPs for the outputs it computes");
                assertEquals((long) l.outputs() * (l.inputs() * 9L + 1), l.storedParams(), l.name() + ": kept inputs x (1,3,3) + bias per output");
                dropped += c.outChannels() - l.outputs();
            }
        }
        assertTrue(dropped > 0, "some fusion conv computes fewer outputs than it has");
        assertTrue(r.graphTrueFlops() < 0.75 * r.denseTrueFlops(), "pruning removes real work");
        long tconvParams = r.layers().stream().filter(l -> l.kind().equals("tconv")).mapToLong(LayerExport::storedParams).sum();
        long tconvAccounting = masked.layers().stream().filter(c -> c.kind() == LayerKind.TCONV).mapToLong(LayerCost::params).sum();
        assertTrue(r.graphParams() < inferenceParams(masked), "the graph stores fewer parameters than the inference network's Eq. 4 count");
        assertTrue(tconvParams <= tconvAccounting, "transposed convs store no more than their active kernels");
        ExportReport dense = ModelExport.run(bundle, dir.resolve("d.onnx"), ExportOptions.DENSE, dir.resolve("d.json"));
        assertEquals(r.denseTrueFlops(), dense.graphTrueFlops(), "dense export computes the dense FLOPs");
    }

    @Test
    void badBundlesFailWithTheTensorNamedAndNoPartialModel() throws Exception {
        ModelSpec spec = ExportParityTest.spec(3, 3, false, "kernel");
        Path bundle = ExportParityTest.randomBundle(spec, dir, 12);
        SafeTensors masks = SafeTensors.read(bundle.resolve("masks.safetensors"));
        List<Tensor> broken = new java.util.ArrayList<>(masks.tensors().values());
        broken.replaceAll(t -> t.name().equals("up0.0.weight.mask") ? Tensor.ofBytes(t.name(), new long[] {1, 1}, new byte[] {1}) : t);
        SafeTensors.of(broken).write(bundle.resolve("masks.safetensors"));
        Path out = dir.resolve("bad.onnx");
        BadInputException e = assertThrows(BadInputException.class,
                () -> ModelExport.run(bundle, out, ExportOptions.PRUNED, ExportReport.besideModel(out)));
        assertTrue(e.getMessage().contains("up0.0.weight.mask"), e.getMessage());
        assertFalse(Files.exists(out));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("bad.onnx")), "no temporary file left");
        }
    }

    @Test
    void oneBundleExportsToByteIdenticalOnnx() throws Exception {
        ModelSpec spec = ExportParityTest.spec(4, 3, true, "group:2");
        Path bundle = ExportParityTest.randomBundle(spec, dir, 5);
        Path a = dir.resolve("a.onnx");
        Path b = dir.resolve("b.onnx");
        ModelExport.run(bundle, a, ExportOptions.PRUNED, ExportReport.besideModel(a));
        ModelExport.run(bundle, b, ExportOptions.PRUNED, ExportReport.besideModel(b));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        // attribute order is fixed by name, not by a hash map's iteration order (which changes between JVM runs)
        for (org.e2enet.onnx.proto.OnnxMl.NodeProto n : org.e2enet.core.onnx.E2eNetOnnx.read(a).model().getGraph().getNodeList()) {
            List<String> names = n.getAttributeList().stream().map(org.e2enet.onnx.proto.OnnxMl.AttributeProto::getName).toList();
            assertEquals(names.stream().sorted().toList(), names, n.getName());
        }
    }

    @Test
    void aGraphThatIsNotOneTheExporterWroteIsBadInputNotACrash() throws Exception {
        ModelSpec spec = ExportParityTest.spec(3, 3, false, "channel");
        Path out = dir.resolve("g.onnx");
        ModelExport.run(ExportParityTest.randomBundle(spec, dir, 9), out, ExportOptions.PRUNED, ExportReport.besideModel(out));
        org.e2enet.onnx.proto.OnnxMl.ModelProto m = org.e2enet.core.onnx.E2eNetOnnx.read(out).model();
        // a conv whose weight initializer is gone, as a flipped bit in its name leaves it
        org.e2enet.onnx.proto.OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
        int conv = java.util.stream.IntStream.range(0, g.getNodeCount()).filter(i -> g.getNode(i).getOpType().equals("Conv")).findFirst()
                .orElseThrow();
        g.setNode(conv, g.getNode(conv).toBuilder().setInput(1, "no-such-weight"));
        Path broken = dir.resolve("broken.onnx");
        Files.write(broken, m.toBuilder().setGraph(g).build().toByteArray());
        BadInputException e = assertThrows(BadInputException.class, () -> org.e2enet.core.onnx.E2eNetOnnx.read(broken).statsAtPatch());
        assertTrue(e.getMessage().startsWith(broken.toString()) && e.getMessage().contains("not a graph e2enet exported"), e.getMessage());
    }
}
