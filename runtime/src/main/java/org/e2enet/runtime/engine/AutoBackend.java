package org.e2enet.runtime.engine;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.e2enet.devices.GpuComponent;
import org.e2enet.devices.GpuMismatch;
import org.e2enet.devices.GpuStack;
import org.e2enet.runtime.Backend;

/**
 * How {@link Backend#AUTO} rules out a backend from the machine's discovery before trying to load it: native
 * TensorRT needs the driver (and its {@code libcuda.so.1}, which bytedeco's CUDA runtime binding links), the CUDA 12
 * runtime and TensorRT 10 on disk; ONNX Runtime's TensorRT and CUDA
 * providers need to be offered by the loaded build and to initialise here. A backend not ruled out is still
 * tried, and a failure then is a reason too.
 */
public final class AutoBackend {
    /** The parts of the stack native TensorRT loads; cuBLAS and cuDNN are not needed by TensorRT 10. */
    private static final Set<GpuComponent> NATIVE_TENSORRT_NEEDS = EnumSet.of(GpuComponent.DRIVER, GpuComponent.CUDA_DRIVER_LIBRARY,
            GpuComponent.CUDA_RUNTIME, GpuComponent.TENSORRT, GpuComponent.TENSORRT_ONNX_PARSER);

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
                List<String> bad = stack.mismatches().stream().filter(m -> NATIVE_TENSORRT_NEEDS.contains(m.component()))
                        .map(GpuMismatch::message).toList();
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
