package org.e2enet.runtime.engine;

import org.e2enet.runtime.Backend;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.e2enet.core.onnx.OnnxBuilder;

/** The execution providers of the loaded ONNX Runtime build, and whether each starts on this machine's GPU. */
public final class OrtProviders {
    private OrtProviders() {
    }

    /**
     * One provider.
     *
     * @param name ONNX Runtime's name (e.g. CUDAExecutionProvider)
     * @param offered part of the loaded build
     * @param initialises its library loads, and a one-node CUDA session runs on the device (a host with the CUDA
     *     libraries and no GPU fails here); for TensorRT no engine is built, so a GPU TensorRT cannot serve shows only
     *     when a model is opened
     * @param reason why it does not, or null
     */
    public record Status(String name, boolean offered, boolean initialises, String reason) {
    }

    /** How a provider is started on device {@code deviceId}: registered on session options, then a session made. */
    interface Start {
        void run(OrtProvider provider, int deviceId) throws OrtException;
    }

    /** CPU, CUDA and TensorRT on device 0, each tried, plus any other provider the build offers. */
    public static List<Status> probe() {
        return probe(0);
    }

    /** {@link #probe()} on CUDA device {@code deviceId}. */
    public static List<Status> probe(int deviceId) {
        return probe(OrtEnvironment.getAvailableProviders(), deviceId, OrtProviders::startOnDevice);
    }

    /** {@link #probe()} with what the build offers and how a provider is started given (a seam for tests). */
    static List<Status> probe(EnumSet<OrtProvider> offered, int deviceId, Start start) {
        List<Status> out = new ArrayList<>();
        out.add(new Status(OrtProvider.CPU.getName(), true, true, null));
        Status cuda = tryGpu(OrtProvider.CUDA, offered, deviceId, start);
        Status trt = tryGpu(OrtProvider.TENSOR_RT, offered, deviceId, start);
        out.add(cuda);
        // TensorRT runs on CUDA's device: what CUDA's probe found there holds for it
        out.add(trt.initialises() && !cuda.initialises() ? new Status(trt.name(), true, false, "its CUDA device does not start: "
                + cuda.reason()) : trt);
        for (OrtProvider p : offered) {
            if (p != OrtProvider.CPU && p != OrtProvider.CUDA && p != OrtProvider.TENSOR_RT) {
                out.add(new Status(p.getName(), true, false, "offered by the build, not used by e2enet"));
            }
        }
        return out;
    }

    /**
     * Why {@code backend}'s providers do not start on device {@code deviceId} of this machine (the first that does
     * not), or null when they do or the backend uses none.
     */
    static String unavailableReason(Backend backend, int deviceId) {
        List<OrtProvider> needed = OrtEngine.providers(backend);
        if (needed.isEmpty()) {
            return null;
        }
        for (Status s : probe(deviceId)) {
            if (!s.initialises() && needed.stream().anyMatch(p -> p.getName().equals(s.name()))) {
                return "ONNX Runtime's " + s.name() + " does not start here (" + s.reason() + ")";
            }
        }
        return null;
    }

    private static Status tryGpu(OrtProvider p, EnumSet<OrtProvider> offered, int deviceId, Start start) {
        if (!offered.contains(p)) {
            return new Status(p.getName(), false, false, "not in this ONNX Runtime build (mvn install -Pcuda brings onnxruntime_gpu)");
        }
        try {
            start.run(p, deviceId);
            return new Status(p.getName(), true, true, null);
        } catch (OrtException | RuntimeException | LinkageError e) {
            return new Status(p.getName(), true, false, OrtSessions.firstLine(String.valueOf(e.getMessage())));
        }
    }

    /**
     * Checks that {@code p} starts on device {@code deviceId}. CUDA: a session of a one-node graph runs on the device,
     * since loading a provider's library does not touch the device. TensorRT: its library loads (registering it); it
     * builds no engine for the probe (a build costs seconds), and the device is CUDA's, which {@link #probe} checks.
     */
    private static void startOnDevice(OrtProvider p, int deviceId) throws OrtException {
        if (p == OrtProvider.TENSOR_RT) {
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.addTensorrt(deviceId);
            }
            return;
        }
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.addCUDA(deviceId);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = env.createSession(PROBE_GRAPH, o);
                 OnnxTensor x = OnnxTensor.createTensor(env, new float[][] {{-1, 0, 1, 2}});
                 OrtSession.Result r = session.run(Map.of("x", x))) {
                float[][] y = (float[][]) r.get(0).getValue();
                if (y[0][0] != 0 || y[0][3] != 2) {
                    throw new IllegalStateException("the device computed Relu(-1, 0, 1, 2) as " + java.util.Arrays.toString(y[0]));
                }
            }
        }
    }

    /** A one-node graph (Relu on a 1x4 float tensor) that a session on any provider can take. */
    private static final byte[] PROBE_GRAPH = probeGraph();

    private static byte[] probeGraph() {
        OnnxBuilder b = new OnnxBuilder("provider-probe");
        b.declareInput("x", 1, 4);
        b.output(b.node("Relu", new String[] {"x"}, Map.of()), "y");
        b.declareOutput("y", 1, 4);
        return b.build(Map.of()).toByteArray();
    }
}
