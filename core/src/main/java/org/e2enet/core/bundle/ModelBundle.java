package org.e2enet.core.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.safetensors.DType;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.LayerTable;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.io.JsonDocuments;

/**
 * A model bundle directory (docs/architecture.md#model-bundle): {@code manifest.json}, {@code weights.safetensors}
 * (float32, named as in docs/network.md#parameter-names), {@code masks.safetensors} (uint8 (dim0, dim1) per
 * masked weight), and optionally {@code optimizer.safetensors} and {@code golden.safetensors}. Reading checks
 * every tensor against the spec's layer table and reports the first problem naming the tensor.
 *
 * @param dir where it was read from or will be written
 * @param manifest the manifest
 * @param weights the weights
 * @param masks the masks (empty for a dense bundle)
 * @param optimizer optimizer state, or null
 * @param golden parity fixtures, or null
 */
public record ModelBundle(Path dir, BundleManifest manifest, SafeTensors weights, SafeTensors masks, SafeTensors optimizer,
                          GoldenFixtures golden) {
    /** File names inside a bundle. */
    public static final String MANIFEST = "manifest.json";
    /** Weights file. */
    public static final String WEIGHTS = "weights.safetensors";
    /** Masks file. */
    public static final String MASKS = "masks.safetensors";
    /** Optimizer state file. */
    public static final String OPTIMIZER = "optimizer.safetensors";
    /** Parity fixtures file. */
    public static final String GOLDEN = "golden.safetensors";

    /** The spec. */
    public ModelSpec spec() {
        return manifest.spec();
    }

    /** Reads and validates a bundle directory. */
    public static ModelBundle read(Path dir) {
        try {
            AtomicFiles.recoverDirectory(dir);
        } catch (IOException e) {
            throw BadInputException.of(dir, "cannot restore an interrupted bundle write (" + e.getMessage() + ")");
        }
        if (!Files.isDirectory(dir)) {
            throw BadInputException.of(dir, Files.exists(dir) ? "not a model bundle directory" : "no such model bundle");
        }
        Path manifestFile = dir.resolve(MANIFEST);
        BundleManifest manifest = parseManifest(manifestFile);
        SafeTensors weights = SafeTensors.read(dir.resolve(WEIGHTS));
        SafeTensors masks = Files.exists(dir.resolve(MASKS)) ? SafeTensors.read(dir.resolve(MASKS)) : SafeTensors.of(List.of());
        validate(dir, manifest.spec(), weights, masks);
        SafeTensors optimizer = Files.exists(dir.resolve(OPTIMIZER)) ? SafeTensors.read(dir.resolve(OPTIMIZER)) : null;
        if (optimizer != null) {
            optimizer.tensors().values().stream().filter(t -> t.dtype() == DType.F32).forEach(t -> refuseNonFinite(dir.resolve(OPTIMIZER), t));
        }
        GoldenFixtures golden = Files.exists(dir.resolve(GOLDEN)) ? GoldenFixtures.read(dir.resolve(GOLDEN)) : null;
        return new ModelBundle(dir, manifest, weights, masks, optimizer, golden);
    }

    private static BundleManifest parseManifest(Path file) {
        JsonNode root = JsonDocuments.readTree(file, BundleManifest.FORMAT, "bundle");
        JsonNode spec = root.get("spec");
        if (spec == null) {
            throw BadInputException.of(file, "has no 'spec'");
        }
        ModelSpec s = ModelSpec.fromJson(spec.toString(), file + " spec");
        Plans plans = root.hasNonNull("plans") ? Plans.fromJson(root.get("plans").toString(), file + " plans") : null;
        TrainingState training = section(file, root, "training", TrainingState.class);
        org.e2enet.core.spec.Accounting accounting = section(file, root, "accounting", org.e2enet.core.spec.Accounting.class);
        return new BundleManifest(BundleManifest.FORMAT, s, plans, training, accounting);
    }

    /** The manifest's section {@code name} as a {@code type}, or null when absent. */
    private static <T> T section(Path file, JsonNode root, String name, Class<T> type) {
        if (!root.hasNonNull(name)) {
            return null;
        }
        return JsonDocuments.value(root.get(name), type, file + " " + name);
    }

    /** Every tensor the spec needs is there, float32, of the right shape; masks match their weights. */
    static void validate(Path dir, ModelSpec spec, SafeTensors weights, SafeTensors masks) {
        validate(dir.resolve(WEIGHTS), dir.resolve(MASKS), spec, weights, masks);
    }

    /** As {@link #validate(Path, ModelSpec, SafeTensors, SafeTensors)}, naming {@code wf} and {@code mf} in errors. */
    static void validate(Path wf, Path mf, ModelSpec spec, SafeTensors weights, SafeTensors masks) {
        LayerTable layers = spec.layers();
        Map<String, long[]> shapes = layers.tensorShapes();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            Tensor t = weights.require(e.getKey(), wf);
            if (t.dtype() != DType.F32) {
                throw BadInputException.of(wf, "tensor '" + e.getKey() + "' is " + t.dtype() + ", expected F32");
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw BadInputException.of(wf, "tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
                        + ", the spec needs " + Arrays.toString(e.getValue()));
            }
            refuseNonFinite(wf, t);
        }
        for (String name : weights.tensors().keySet()) {
            if (!shapes.containsKey(name)) {
                throw BadInputException.of(wf, "unexpected tensor '" + name + "' (not part of this spec)");
            }
        }
        for (Tensor m : masks.tensors().values()) {
            String weight = Layer.weightOfMask(m.name()).orElse(m.name());
            Layer layer = layers.byWeightName(weight).orElseThrow(() ->
                    BadInputException.of(mf, "mask '" + m.name() + "' belongs to no weight of this spec"));
            if (!layer.masked()) {
                throw BadInputException.of(mf, "mask '" + m.name() + "' is on a layer DSFF does not mask");
            }
            if (m.dtype() != DType.U8 || !Arrays.equals(m.shape(), layer.maskShape())) {
                throw BadInputException.of(mf, "mask '" + m.name() + "' is " + m.dtype() + Arrays.toString(m.shape())
                        + ", expected U8" + Arrays.toString(layer.maskShape()) + " to match its weight");
            }
            for (byte b : m.data()) {
                if (b != 0 && b != 1) {
                    throw BadInputException.of(mf, "mask '" + m.name() + "' holds a value other than 0 and 1");
                }
            }
        }
    }

    /** A NaN or infinite weight would train or export into a network that outputs NaN: bad input naming the tensor. */
    private static void refuseNonFinite(Path file, Tensor t) {
        float[] v = t.floats();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw BadInputException.of(file, "tensor '" + t.name() + "' holds a NaN or infinite value (element " + i + ")");
            }
        }
    }

    /** Active kernels of a masked layer: the mask's ones, or all kernels when the bundle has no mask for it. */
    public long activeKernels(Layer layer) {
        Tensor m = masks.tensors().get(layer.maskName());
        if (m == null) {
            return layer.kernels();
        }
        long n = 0;
        for (byte b : m.data()) {
            n += b;
        }
        return n;
    }

    /** Writes a bundle directory atomically (temp dir + rename); null optional parts are left out. */
    public static void write(Path dir, BundleManifest manifest, SafeTensors weights, SafeTensors masks, SafeTensors optimizer,
                             GoldenFixtures golden) throws IOException {
        write(dir, manifest, weights, masks, optimizer, golden, tmp -> { });
    }

    /**
     * Writes a bundle directory atomically with extra files ({@code extras} writes them into the temporary
     * directory before the rename, e.g. training curves).
     */
    public static void write(Path dir, BundleManifest manifest, SafeTensors weights, SafeTensors masks, SafeTensors optimizer,
                             GoldenFixtures golden, AtomicFiles.DirectoryWriter extras) throws IOException {
        AtomicFiles.writeDirectory(dir, tmp -> {
            extras.write(tmp);
            JsonDocuments.write(tmp.resolve(MANIFEST), manifest);
            weights.write(tmp.resolve(WEIGHTS));
            if (masks != null && !masks.tensors().isEmpty()) {
                masks.write(tmp.resolve(MASKS));
            }
            if (optimizer != null) {
                optimizer.write(tmp.resolve(OPTIMIZER));
            }
            if (golden != null) {
                golden.toTensors().write(tmp.resolve(GOLDEN));
            }
        });
    }

    /** Names of the masked weights the bundle has masks for. */
    public List<String> maskedWeights() {
        List<String> out = new ArrayList<>();
        for (String n : masks.tensors().keySet()) {
            out.add(Layer.weightOfMask(n).orElse(n));
        }
        return out;
    }
}
