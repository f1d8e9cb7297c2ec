package org.e2enet.runtime.engine;

import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.Backend;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtProviderOptions;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.e2enet.core.io.ModelLoadException;
import org.e2enet.core.io.BackendUnavailableException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.devices.GpuStack;
import org.e2enet.core.window.TileBuffers;

/** ONNX Runtime on the CPU, or with its CUDA or TensorRT provider. */
final class OrtEngine implements TileEngine {
    private final OrtSession session;
    private boolean closed;

    private OrtEngine(OrtSession session) {
        this.session = session;
    }

    /** A session for {@code onnx} on one of the {@code ort-*} backends. */
    static OrtEngine open(E2eNetOnnx onnx, Backend backend, BackendOptions options) {
        return new OrtEngine(session(onnx.file(), onnx.spec(), backend, options, null));
    }

    /**
     * A session with the project's settings (intra-op threads, one inter-op thread, spinning off, all graph
     * optimisations, the backend's providers; {@code spec}'s input shape for TensorRT's optimisation profile); with
     * {@code profilePrefix} ONNX Runtime also profiles every node. A GPU provider that cannot start on this machine
     * is reported as such, not as a fault of the file.
     */
    static OrtSession session(Path file, ModelSpec spec, Backend backend, BackendOptions options, Path profilePrefix) {
        try {
            return session(backend, options, spec, profilePrefix, (env, o) -> env.createSession(file.toString(), o));
        } catch (OrtException e) {
            String unavailable = OrtProviders.unavailableReason(backend, options.deviceId());
            if (unavailable != null) {
                throw new BackendUnavailableException(backend.label() + ": " + unavailable + "; the model " + file + " was not the problem. Use "
                        + "--backend ort-cpu, or see 'e2enet devices'", e);
            }
            throw new ModelLoadException(file, "ONNX Runtime cannot load it on " + backend.label() + " (" + OrtSessions.firstLine(e.getMessage()) + ")", e);
        }
    }

    /** How a session is made from its options: from a file or from bytes. */
    interface SessionSource {
        OrtSession create(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException;
    }

    /**
     * {@link #session(Path, ModelSpec, Backend, BackendOptions, Path)} for any source ({@code spec} null for a graph
     * that is not an E2ENet: no TensorRT profile); ONNX Runtime's refusal is left to the caller.
     */
    static OrtSession session(Backend backend, BackendOptions options, ModelSpec spec, Path profilePrefix, SessionSource source)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(options.threads());
            o.setInterOpNumThreads(1);
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (profilePrefix != null) {
                o.enableProfiling(profilePrefix.toString());
            }
            List<OrtProviderOptions> made = new java.util.ArrayList<>();
            try {
                addProviders(o, backend, options, spec, made);
                return source.create(env, o);
            } finally {
                made.forEach(OrtProviderOptions::close);
            }
        }
    }

    /**
     * The providers a session of {@code backend} registers, in order. ONNX Runtime gives each node to the first
     * registered provider that takes it, so TensorRT comes before CUDA (CUDA then runs only what TensorRT leaves);
     * the CPU provider is always last and implicit.
     */
    static List<OrtProvider> providers(Backend backend) {
        return switch (backend) {
            case ORT_TRT -> List.of(OrtProvider.TENSOR_RT, OrtProvider.CUDA);
            case ORT_CUDA -> List.of(OrtProvider.CUDA);
            case ORT_CPU -> List.of();
            default -> throw new IllegalArgumentException(backend.label() + " is not an ONNX Runtime backend");
        };
    }

    /** Registers the providers on {@code o}; their option objects go to {@code made}, to be freed once the session exists. */
    private static void addProviders(OrtSession.SessionOptions o, Backend backend, BackendOptions options, ModelSpec spec,
                                     List<OrtProviderOptions> made) {
        try {
            for (OrtProvider p : providers(backend)) {
                if (p == OrtProvider.TENSOR_RT) {
                    Map<String, String> settings = OrtProviderSettings.tensorrt(options, spec, System.getenv());
                    Files.createDirectories(Path.of(settings.get("trt_engine_cache_path")));
                    OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(options.deviceId());
                    made.add(trt);
                    for (Map.Entry<String, String> e : settings.entrySet()) {
                        trt.add(e.getKey(), e.getValue());
                    }
                    o.addTensorrt(trt);
                } else {
                    OrtCUDAProviderOptions cuda = cudaOptions(options);
                    made.add(cuda);
                    o.addCUDA(cuda);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the engine cache " + options.engineCache(), e);
        } catch (OrtException | LinkageError e) {
            throw new BackendUnavailableException(backend.label() + ": ONNX Runtime's " + (backend == Backend.ORT_TRT ? "TensorRT/" : "")
                    + "CUDA provider cannot be loaded (" + OrtSessions.firstLine(String.valueOf(e.getMessage())) + "). Build with 'mvn install -Pcuda' "
                    + "(onnxruntime_gpu) and install " + GpuStack.EXPECTED + ", or use --backend ort-cpu. " + GpuStack.scan().summary(), e);
        }
    }

    private static OrtCUDAProviderOptions cudaOptions(BackendOptions options) throws OrtException {
        OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(options.deviceId());
        for (Map.Entry<String, String> e : OrtProviderSettings.cuda(options).entrySet()) {
            cuda.add(e.getKey(), e.getValue());
        }
        return cuda;
    }


    @Override
    public float[] run(float[] input, long[] shape) {
        return run(session, input, shape);
    }

    @Override
    public TileBuffers buffers(long[] shape, int classes) {
        return new OrtTileBuffers(session, shape, classes);
    }

    /** Head-0 logits of one input through {@code session}. */
    static float[] run(OrtSession session, float[] input, long[] shape) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        return InFlightRuns.run(shape, options -> {
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                 OrtSession.Result r = session.run(Map.of(OnnxContract.INPUT, t), options)) {
                FloatBuffer fb = ((OnnxTensor) r.get(OnnxContract.OUTPUT).orElseThrow()).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        });
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                // nothing more to do
            }
        }
    }
}
