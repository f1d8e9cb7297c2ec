package org.e2enet.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** The execution providers of the loaded ONNX Runtime build, and whether each initialises on this machine. */
public final class OrtProviders {
    private OrtProviders() {
    }

    /**
     * One provider.
     *
     * @param name ONNX Runtime's name (e.g. CUDAExecutionProvider)
     * @param offered part of the loaded build
     * @param initialises its library loads here (registering it on session options succeeds)
     * @param reason why it does not, or null
     */
    public record Status(String name, boolean offered, boolean initialises, String reason) {
    }

    /** CPU, CUDA and TensorRT, each tried, plus any other provider the build offers. */
    public static List<Status> probe() {
        EnumSet<OrtProvider> offered = OrtEnvironment.getAvailableProviders();
        List<Status> out = new ArrayList<>();
        out.add(new Status(OrtProvider.CPU.getName(), true, true, null));
        out.add(tryGpu(OrtProvider.CUDA, offered));
        out.add(tryGpu(OrtProvider.TENSOR_RT, offered));
        for (OrtProvider p : offered) {
            if (p != OrtProvider.CPU && p != OrtProvider.CUDA && p != OrtProvider.TENSOR_RT) {
                out.add(new Status(p.getName(), true, false, "offered by the build, not used by e2enet"));
            }
        }
        return out;
    }

    private static Status tryGpu(OrtProvider p, EnumSet<OrtProvider> offered) {
        if (!offered.contains(p)) {
            return new Status(p.getName(), false, false, "not in this ONNX Runtime build (mvn install -Pcuda brings onnxruntime_gpu)");
        }
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.addCUDA(0);
            if (p == OrtProvider.TENSOR_RT) {
                o.addTensorrt(0);
            }
            return new Status(p.getName(), true, true, null);
        } catch (OrtException | LinkageError e) {
            return new Status(p.getName(), true, false, OrtEngine.firstLine(String.valueOf(e.getMessage())));
        }
    }
}
