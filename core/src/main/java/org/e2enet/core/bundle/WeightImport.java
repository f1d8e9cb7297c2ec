package org.e2enet.core.bundle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.Accounting;
import org.e2enet.core.spec.Layer;
import org.e2enet.core.spec.ModelSpec;

/**
 * Makes a bundle from weights trained elsewhere (e.g. the authors' PyTorch code, whose parameter names
 * docs/network.md#parameter-names keeps): a safetensors file of float32 tensors, the spec they belong to, optionally the plans
 * and the DSFF masks. Without a masks file, the masks of a sparse spec are read off the weights: a kernel is
 * active when any of its weights is non-zero (pruned kernels of a DSFF model are exactly zero). Tensors the
 * spec does not use (optimizer or bookkeeping entries of a checkpoint) are left out and listed. The manifest
 * has no training section, so parity has no golden fixtures to compare with.
 */
public final class WeightImport {
    private WeightImport() {
    }

    /**
     * What was imported.
     *
     * @param tensors weight tensors kept
     * @param ignored names in the weights file the spec does not use
     * @param masksFromWeights whether the masks were read off zero kernels
     * @param accounting the bundle's accounting
     */
    public record Result(int tensors, List<String> ignored, boolean masksFromWeights, Accounting accounting) {
    }

    /** Imports and writes the bundle to {@code out} (atomically). */
    public static Result run(Path weightsFile, Path masksFile, ModelSpec spec, Plans plans, Path out) throws IOException {
        SafeTensors all = SafeTensors.read(weightsFile);
        Map<String, long[]> needed = spec.layers().tensorShapes();
        List<Tensor> kept = new ArrayList<>();
        TreeSet<String> ignored = new TreeSet<>();
        for (Tensor t : all.tensors().values()) {
            if (needed.containsKey(t.name())) {
                kept.add(t);
            } else {
                ignored.add(t.name());
            }
        }
        SafeTensors weights = SafeTensors.of(kept);
        ModelBundle.validate(weightsFile, weightsFile, spec, weights, SafeTensors.of(List.of()));
        boolean fromWeights = masksFile == null && spec.sparsity() > 0;
        SafeTensors masks = masksFile != null ? SafeTensors.read(masksFile)
                : fromWeights ? masksFromZeros(spec, weights) : SafeTensors.of(List.of());
        ModelBundle.validate(weightsFile, masksFile != null ? masksFile : weightsFile, spec, weights, masks);
        ModelBundle view = new ModelBundle(out, null, weights, masks, null, null);
        Accounting accounting = Accounting.of(spec, view::activeKernels);
        ModelBundle.write(out, new BundleManifest(BundleManifest.FORMAT, spec, plans, null, accounting), weights, masks, null, null);
        return new Result(kept.size(), List.copyOf(ignored), fromWeights, accounting);
    }

    /** One U8 (dim0, dim1) mask per masked layer: 1 where the kernel has a non-zero weight. */
    static SafeTensors masksFromZeros(ModelSpec spec, SafeTensors weights) {
        List<Tensor> masks = new ArrayList<>();
        for (Layer l : spec.layers().all()) {
            if (!l.masked() || !weights.tensors().containsKey(l.weightName())) {
                continue;
            }
            float[] w = weights.tensors().get(l.weightName()).floats();
            int kvol = l.kernelVolume();
            byte[] m = new byte[Math.toIntExact(l.kernels())];
            for (int k = 0; k < m.length; k++) {
                for (int v = 0; v < kvol && m[k] == 0; v++) {
                    if (w[k * kvol + v] != 0f) {
                        m[k] = 1;
                    }
                }
            }
            masks.add(Tensor.ofBytes(l.maskName(), l.maskShape(), m));
        }
        return SafeTensors.of(masks);
    }
}
