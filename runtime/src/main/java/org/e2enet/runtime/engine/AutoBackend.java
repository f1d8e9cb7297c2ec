package org.e2enet.runtime.engine;

import org.e2enet.runtime.Backend;
import java.util.List;
import org.e2enet.devices.GpuStack;

/**
 * How {@link Backend#AUTO} rules out a backend from the machine's discovery before trying to load it: native
 * TensorRT needs the driver (and its {@code libcuda.so.1}, which bytedeco's CUDA runtime binding links), the CUDA 12
 * runtime and TensorRT 10 on disk; ONNX Runtime's TensorRT and CUDA
 * providers need to be offered by the loaded build and to initialise here. A backend not ruled out is still
 * tried, and a failure then is a reason too.
 */
public final class AutoBackend {
    private AutoBackend() {
    }

    /** The backends discovery does not rule out on this machine, fastest first (ort-cpu always last). */
    public static List<Backend> worthTrying() {
        GpuStack stack = GpuStack.scan();
        List<OrtProviders.Status> providers = OrtProviders.probe();
        return Engines.AUTO_ORDER.stream().filter(b -> skipReason(b, stack, providers) == null).toList();
    }

    /** Why {@code b} cannot run here, or null when it is worth trying. */
    static String skipReason(Backend b, GpuStack stack, List<OrtProviders.Status> providers) {
        return switch (b) {
            case TENSORRT -> {
                String jars = NativeTensorRtJars.missing();
                if (jars != null) {
                    yield jars;
                }
                if (stack.driverVersion() == null) {
                    yield "no NVIDIA driver";
                }
                List<String> bad = stack.mismatches().stream().filter(m -> m.startsWith("CUDA runtime") || m.startsWith("CUDA driver library")
                        || m.startsWith("TensorRT") || m.startsWith("driver")).toList();
                yield bad.isEmpty() ? null : String.join("; ", bad);
            }
            case ORT_TRT -> providerReason("TensorrtExecutionProvider", providers);
            case ORT_CUDA -> providerReason("CUDAExecutionProvider", providers);
            default -> null;
        };
    }

    private static String providerReason(String name, List<OrtProviders.Status> providers) {
        for (OrtProviders.Status p : providers) {
            if (p.name().equals(name)) {
                return p.initialises() ? null : name + ": " + p.reason();
            }
        }
        return name + " unknown to this ONNX Runtime";
    }
}
