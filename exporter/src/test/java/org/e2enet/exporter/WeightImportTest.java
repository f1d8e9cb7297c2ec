package org.e2enet.exporter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.bundle.WeightImport;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights from elsewhere (as the authors' code saves them: pruned kernels zero, no masks) become the same model. */
class WeightImportTest {
    @TempDir
    Path dir;

    @Test
    void masksAreReadOffZeroKernelsAndTheExportIsTheSameModel() throws Exception {
        ModelSpec spec = RandomBundles.spec(3, 3, false, "channel");
        ModelBundle original = ModelBundle.read(RandomBundles.write(spec, null, dir, 4));
        List<Tensor> checkpoint = new ArrayList<>(original.weights().tensors().values());
        checkpoint.add(Tensor.ofFloats("seg_outputs.0.num_batches_tracked", new long[] {1}, new float[] {7}));
        Path weights = dir.resolve("authors.safetensors");
        SafeTensors.of(checkpoint).write(weights);
        WeightImport.Result r = WeightImport.run(weights, null, spec, null, dir.resolve("imported"));
        assertTrue(r.masksFromWeights());
        assertEquals(List.of("seg_outputs.0.num_batches_tracked"), r.ignored());
        ModelBundle imported = ModelBundle.read(dir.resolve("imported"));
        assertEquals(original.masks().tensors().keySet(), imported.masks().tensors().keySet());
        for (Tensor m : original.masks().tensors().values()) {
            assertArrayEquals(m.data(), imported.masks().tensors().get(m.name()).data(), m.name());
        }
        ExportReport a = ModelExport.run(original.dir(), dir.resolve("a.onnx"), ExportOptions.PRUNED, dir.resolve("a.json"));
        ExportReport b = ModelExport.run(imported.dir(), dir.resolve("b.onnx"), ExportOptions.PRUNED, dir.resolve("b.json"));
        assertEquals(a.graphTrueFlops(), b.graphTrueFlops());
        assertTrue(b.graphTrueFlops() < ModelExport.run(imported.dir(), dir.resolve("c.onnx"), ExportOptions.DENSE,
                dir.resolve("c.json")).graphTrueFlops(), "the masks read off the weights prune the export");
        // a weight the spec needs is missing: the error names the file and the tensor, nothing is written
        SafeTensors.of(checkpoint.subList(1, checkpoint.size())).write(weights);
        BadInputException e = assertThrows(BadInputException.class, () -> WeightImport.run(weights, null, spec, null, dir.resolve("bad")));
        assertTrue(e.getMessage().startsWith(weights.toString()) && e.getMessage().contains(checkpoint.get(0).name()), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("bad")));
    }
}
