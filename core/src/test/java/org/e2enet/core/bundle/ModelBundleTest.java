package org.e2enet.core.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.Accounting;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
    @TempDir
    Path dir;

    static SafeTensors randomWeights(ModelSpec spec, long seed) {
        Random rnd = new Random(seed);
        List<Tensor> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : spec.layers().tensorShapes().entrySet()) {
            long n = 1;
            for (long s : e.getValue()) {
                n *= s;
            }
            float[] v = new float[(int) n];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rnd.nextGaussian() * 0.1f;
            }
            out.add(Tensor.ofFloats(e.getKey(), e.getValue(), v));
        }
        return SafeTensors.of(out);
    }

    static SafeTensors halfMasks(ModelSpec spec) {
        List<Tensor> out = new ArrayList<>();
        for (Layer l : spec.layers().masked()) {
            byte[] m = new byte[(int) l.kernels()];
            for (int i = 0; i < m.length; i += 2) {
                m[i] = 1;
            }
            out.add(Tensor.ofBytes(l.maskName(), l.maskShape(), m));
        }
        return SafeTensors.of(out);
    }

    @Test
    void roundTripAndActiveCounts() throws Exception {
        ModelSpec spec = Presets.get("tiny");
        Path b = dir.resolve("bundle");
        ModelBundle.write(b, new BundleManifest(BundleManifest.FORMAT, spec, null, null, Accounting.expected(spec)),
                randomWeights(spec, 1), halfMasks(spec), null, null);
        ModelBundle read = ModelBundle.read(b);
        assertEquals(spec, read.spec());
        Layer up = spec.layers().masked().get(0);
        assertEquals((up.kernels() + 1) / 2, read.activeKernels(up));
        assertEquals(spec.layers().masked().size(), read.maskedWeights().size());
        assertEquals(Accounting.expected(spec).params(), read.manifest().accounting().params());
    }

    @Test
    void aBundleWithOnlyFormatSpecAndWeightsIsValid() throws Exception {
        ModelSpec spec = Presets.get("tiny");
        Path b = Files.createDirectories(dir.resolve("imported"));
        Files.writeString(b.resolve("manifest.json"), "{\"format\": \"e2enet-model/1\", \"spec\": " + spec.toJson() + "}");
        randomWeights(spec, 2).write(b.resolve("weights.safetensors"));
        ModelBundle read = ModelBundle.read(b);
        assertEquals(0, read.maskedWeights().size());
    }

    private String fails(SafeTensors weights, SafeTensors masks, String manifest) throws Exception {
        Path b = Files.createDirectories(dir.resolve("bad" + System.nanoTime()));
        Files.writeString(b.resolve("manifest.json"), manifest);
        weights.write(b.resolve("weights.safetensors"));
        if (masks != null) {
            masks.write(b.resolve("masks.safetensors"));
        }
        return assertThrows(BadInputException.class, () -> ModelBundle.read(b)).getMessage();
    }

    @Test
    void badBundlesNameTheTensor() throws Exception {
        ModelSpec spec = Presets.get("tiny");
        String manifest = "{\"format\": \"e2enet-model/1\", \"spec\": " + spec.toJson() + "}";
        SafeTensors good = randomWeights(spec, 3);
        List<Tensor> missing = new ArrayList<>(good.tensors().values());
        missing.removeIf(t -> t.name().equals("up0.0.weight"));
        assertTrue(fails(SafeTensors.of(missing), null, manifest).contains("missing tensor 'up0.0.weight'"));
        List<Tensor> wrong = new ArrayList<>(good.tensors().values());
        wrong.replaceAll(t -> t.name().equals("seg_outputs.0.weight") ? Tensor.ofFloats(t.name(), new long[] {2, 8, 1, 1, 1}, new float[16]) : t);
        assertTrue(fails(SafeTensors.of(wrong), null, manifest).contains("tensor 'seg_outputs.0.weight' has shape"));
        Tensor badMask = Tensor.ofBytes("up0.0.weight.mask", new long[] {3, 3}, new byte[9]);
        assertTrue(fails(good, SafeTensors.of(List.of(badMask)), manifest).contains("mask 'up0.0.weight.mask'"));
        assertTrue(fails(good, null, manifest.replace("e2enet-model/1", "e2enet-model/9")).contains("unsupported bundle format"));
        assertTrue(fails(good, null, manifest.replace("\"sparsity\"", "\"sparsityX\"")).contains("unknown spec field 'sparsityX'"));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            List<Tensor> poisoned = new ArrayList<>(good.tensors().values());
            poisoned.replaceAll(t -> {
                if (!t.name().equals("loc0.0.1.blocks.0.conv.bias")) {
                    return t;
                }
                float[] v = t.floats();
                v[1] = bad;
                return Tensor.ofFloats(t.name(), t.shape(), v);
            });
            String msg = fails(SafeTensors.of(poisoned), null, manifest);
            assertTrue(msg.contains("tensor 'loc0.0.1.blocks.0.conv.bias'") && msg.contains("NaN or infinite"), msg);
        }
    }
}
