package org.e2enet.runtime.engine;

import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.Backend;
import ai.onnxruntime.OrtEnvironment;
import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.check.EngineCheck;
import org.e2enet.core.check.EngineCheckReport;
import org.e2enet.core.check.OpCase;
import org.e2enet.core.check.OpKind;

/**
 * The inference engine proves itself: every operation of an exported graph at its own channel counts,
 * through ONNX Runtime on one backend, against the float64 reference (docs/engine-check.md).
 */
public final class InferenceEngineCheck {
    private InferenceEngineCheck() {
    }

    /**
     * Checks {@code ops} (forward only; the depth shift, which the export lowers to data movement, is left to
     * parity) on {@code backend}.
     */
    public static EngineCheckReport run(List<OpCase> ops, Backend backend, BackendOptions options) {
        List<OpCase> covered = new ArrayList<>();
        for (OpCase op : ops) {
            if (op.kind() != OpKind.DEPTH_SHIFT) {
                covered.add(op);
            }
        }
        String name = "ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion() + " (" + backend.label() + ")";
        return EngineCheck.run(name, covered, new OrtOpEngine(backend, options), false);
    }

    /** The ONNX Runtime backends whose providers initialise in {@code providers} (an {@link OrtProviders#probe()}), CPU first. */
    public static List<Backend> backendsHere(List<OrtProviders.Status> providers) {
        List<Backend> out = new ArrayList<>();
        for (OrtProviders.Status s : providers) {
            Backend b = s.name().equals(ai.onnxruntime.OrtProvider.CPU.getName()) ? Backend.ORT_CPU
                    : s.name().equals(ai.onnxruntime.OrtProvider.CUDA.getName()) ? Backend.ORT_CUDA
                    : s.name().equals(ai.onnxruntime.OrtProvider.TENSOR_RT.getName()) ? Backend.ORT_TRT : null;
            if (b != null && s.initialises()) {
                out.add(b);
            }
        }
        return out;
    }
}
