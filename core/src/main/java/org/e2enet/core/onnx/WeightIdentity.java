package org.e2enet.core.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.onnx.proto.OnnxMl;

/**
 * Parity's identity check (docs/architecture.md#parity): every initializer of the model has the digest recorded at export, and
 * every bundle tensor it was derived from still has the digest it had then. Any changed bit on either side
 * fails, naming the tensor; numeric tolerances play no part.
 *
 * @param tensors initializers checked
 * @param bundleTensors bundle tensors checked
 * @param failures one line per tensor that differs (empty when the weights are the trained ones)
 */
public record WeightIdentity(int tensors, int bundleTensors, List<String> failures) {
    /** Immutable copy. */
    public WeightIdentity {
        failures = List.copyOf(failures);
    }

    /** Whether every digest matched. */
    public boolean passed() {
        return failures.isEmpty();
    }

    /**
     * Checks {@code onnx} against the digests it carries and against {@code bundle}. A calibrated model's
     * initializers are checked against the digests of its {@link CalibrationMetadata}, and the bundle against
     * the FP32 source's digests it carries.
     */
    public static WeightIdentity check(E2eNetOnnx onnx, ModelBundle bundle) {
        return check(onnx, bundle, null, null);
    }

    /**
     * As {@link #check(E2eNetOnnx, ModelBundle)}; when the export report {@code reportName} is beside the model,
     * its {@code reportDigests} must also equal the ones the model carries.
     */
    public static WeightIdentity check(E2eNetOnnx onnx, ModelBundle bundle, String reportName, WeightDigests reportDigests) {
        String json = onnx.metadata().get(OnnxContract.DIGESTS);
        if (json == null) {
            return new WeightIdentity(0, 0, List.of("the model carries no weight digests (" + OnnxContract.DIGESTS
                    + "): export it again with this version"));
        }
        WeightDigests recorded = WeightDigests.fromJson(json, onnx.file() + " " + OnnxContract.DIGESTS);
        Map<String, OnnxMl.TensorProto> present = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : onnx.model().getGraph().getInitializerList()) {
            present.put(t.getName(), t);
        }
        List<String> failures = new ArrayList<>();
        if (reportName != null && !recorded.equals(reportDigests)) {
            failures.add("the export report " + reportName + " records other digests than the model");
        }
        String calibration = onnx.metadata().get(OnnxContract.CALIBRATION);
        List<WeightDigests.Entry> own = calibration == null ? recorded.initializers()
                : CalibrationMetadata.fromJson(calibration, onnx.file() + " " + OnnxContract.CALIBRATION).initializers();
        for (WeightDigests.Entry e : own) {
            OnnxMl.TensorProto t = present.remove(e.initializer());
            if (t == null) {
                failures.add("initializer '" + e.initializer() + "' recorded at " + (calibration == null ? "export" : "calibration") + " is missing from the model");
            } else if (!WeightDigests.digestOf(t).equals(e.sha256())) {
                failures.add("initializer '" + e.initializer() + "' differs from the " + (calibration == null ? "exported" : "calibrated")
                        + " one");
            }
        }
        Map<String, String> sourcesSeen = new LinkedHashMap<>();
        for (WeightDigests.Entry e : recorded.initializers()) {
            for (WeightDigests.Source s : e.sources()) {
                sourcesSeen.put(s.tensor(), s.sha256());
            }
        }
        for (String extra : present.keySet()) {
            failures.add("initializer '" + extra + "' was not part of the " + (calibration == null ? "export" : "calibration"));
        }
        for (Map.Entry<String, String> s : sourcesSeen.entrySet()) {
            Tensor t = bundle.weights().tensors().get(s.getKey());
            if (t == null) {
                t = bundle.masks().tensors().get(s.getKey());
            }
            if (t == null) {
                failures.add("bundle tensor '" + s.getKey() + "' the model was exported from is missing from " + bundle.dir());
            } else if (!WeightDigests.Source.of(t).sha256().equals(s.getValue())) {
                failures.add("bundle tensor '" + s.getKey() + "' changed since the export");
            }
        }
        return new WeightIdentity(own.size(), sourcesSeen.size(), failures);
    }
}
