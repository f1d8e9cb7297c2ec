package org.e2enet.core.bundle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.safetensors.DType;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.volume.Shape3;

/**
 * A bundle's parity fixtures ({@code golden.safetensors}, docs/architecture.md#model-bundle): real input patches with the training
 * model's eval-mode head-0 logits on them ({@code golden.input.{k}}, {@code golden.logits.{k}}), and its
 * sliding-window labels of up to two validation cases on the preprocessed grid ({@code golden.seg.{case}}).
 * The trainer writes them, parity reads them; only this class knows the tensor names.
 *
 * @param patches the golden patches, in order
 * @param segmentations the training model's labels per validation case id, sorted by id
 */
public record GoldenFixtures(List<Patch> patches, Map<String, CaseLabels> segmentations) {
    private static final String INPUT = "golden.input.";
    private static final String LOGITS = "golden.logits.";
    private static final String SEGMENTATION = "golden.seg.";

    /**
     * One golden patch.
     *
     * @param input (N, Cin, D, H, W)
     * @param logits the training model's head-0 logits (N, classes, D, H, W)
     */
    public record Patch(Tensor input, Tensor logits) {
    }

    /**
     * The training model's labels of one validation case.
     *
     * @param shape the preprocessed grid
     * @param labels uint8 labels, z-major
     */
    public record CaseLabels(Shape3 shape, byte[] labels) {
    }

    /** Copies the collections. */
    public GoldenFixtures {
        patches = List.copyOf(patches);
        segmentations = Collections.unmodifiableMap(new TreeMap<>(segmentations));
    }

    /** Fixtures made of these parts. */
    public static GoldenFixtures of(List<Patch> patches, Map<String, CaseLabels> segmentations) {
        return new GoldenFixtures(patches, segmentations);
    }

    /** One golden patch from float data. */
    public static Patch patch(long[] inputShape, float[] input, long[] logitsShape, float[] logits) {
        return new Patch(Tensor.ofFloats("input", inputShape, input), Tensor.ofFloats("logits", logitsShape, logits));
    }

    /** As the tensors of {@code golden.safetensors}. */
    public SafeTensors toTensors() {
        List<Tensor> out = new ArrayList<>();
        for (Map.Entry<String, CaseLabels> e : segmentations.entrySet()) {
            Shape3 s = e.getValue().shape();
            out.add(Tensor.ofBytes(SEGMENTATION + e.getKey(), new long[] {s.d(), s.h(), s.w()}, e.getValue().labels()));
        }
        for (int k = 0; k < patches.size(); k++) {
            Patch p = patches.get(k);
            out.add(new Tensor(INPUT + k, DType.F32, p.input().shape(), p.input().data()));
            out.add(new Tensor(LOGITS + k, DType.F32, p.logits().shape(), p.logits().data()));
        }
        return SafeTensors.of(out);
    }

    /** Reads the fixtures of {@code file}; a tensor that does not fit the format is bad input naming it. */
    public static GoldenFixtures read(Path file) {
        return from(SafeTensors.read(file), file);
    }

    /** The fixtures held in {@code tensors}, read from {@code file}. */
    static GoldenFixtures from(SafeTensors tensors, Path file) {
        Map<String, Tensor> t = tensors.tensors();
        List<Patch> patches = new ArrayList<>();
        for (int k = 0; t.containsKey(INPUT + k) || t.containsKey(LOGITS + k); k++) {
            Tensor in = floats(file, t, INPUT + k);
            Tensor logits = floats(file, t, LOGITS + k);
            long[] a = in.shape();
            long[] b = logits.shape();
            if (a.length != 5 || b.length != 5 || a[0] != b[0] || !Arrays.equals(Arrays.copyOfRange(a, 2, 5), Arrays.copyOfRange(b, 2, 5))) {
                throw BadInputException.of(file, "golden patch " + k + ": input " + Arrays.toString(a) + " and logits " + Arrays.toString(b)
                        + " are not (N, C, D, H, W) of the same patch");
            }
            patches.add(new Patch(in, logits));
        }
        Map<String, CaseLabels> segs = new TreeMap<>();
        for (Tensor s : t.values()) {
            if (s.name().startsWith(SEGMENTATION)) {
                long[] sh = s.shape();
                if (s.dtype() != DType.U8 || sh.length != 3) {
                    throw BadInputException.of(file, "'" + s.name() + "' is " + s.dtype() + Arrays.toString(sh) + ", expected U8 (D, H, W)");
                }
                segs.put(s.name().substring(SEGMENTATION.length()), new CaseLabels(new Shape3((int) sh[0], (int) sh[1], (int) sh[2]), s.data()));
            }
        }
        return new GoldenFixtures(patches, segs);
    }

    private static Tensor floats(Path file, Map<String, Tensor> t, String name) {
        Tensor x = t.get(name);
        if (x == null) {
            throw BadInputException.of(file, "has no tensor '" + name + "' (golden inputs and logits come in pairs)");
        }
        if (x.dtype() != DType.F32) {
            throw BadInputException.of(file, "tensor '" + name + "' is " + x.dtype() + ", expected F32");
        }
        return x;
    }
}
