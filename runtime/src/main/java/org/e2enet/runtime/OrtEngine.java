package org.e2enet.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.devices.GpuStack;
import org.e2enet.core.window.TileBuffers;

/** ONNX Runtime on the CPU, or with its CUDA or TensorRT provider. */
final class OrtEngine implements TileEngine {
    private final OrtSession session;
    private boolean closed;

    private OrtEngine(OrtSession session) {
        this.session = session;
    }

    /** A session for {@code file} on one of the {@code ort-*} backends. */
    static OrtEngine open(Path file, Backend backend, BackendOptions options) {
        return new OrtEngine(session(file, backend, options, null));
    }

    /**
     * A session with the project's settings (intra-op threads, one inter-op thread, spinning off, all graph
     * optimisations, the backend's providers); with {@code profilePrefix} ONNX Runtime also profiles every node.
     */
    static OrtSession session(Path file, Backend backend, BackendOptions options, Path profilePrefix) {
        try {
            return session(backend, options, profilePrefix, (env, o) -> env.createSession(file.toString(), o));
        } catch (OrtException e) {
            throw BadInputException.of(file, "ONNX Runtime cannot load it (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    /** How a session is made from its options: from a file or from bytes. */
    interface SessionSource {
        OrtSession create(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException;
    }

    /** {@link #session(Path, Backend, BackendOptions, Path)} for any source; ONNX Runtime's refusal is left to the caller. */
    static OrtSession session(Backend backend, BackendOptions options, Path profilePrefix, SessionSource source) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(options.threads());
            o.setInterOpNumThreads(1);
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (profilePrefix != null) {
                o.enableProfiling(profilePrefix.toString());
            }
            addProviders(o, backend, options);
            return source.create(env, o);
        }
    }

    private static void addProviders(OrtSession.SessionOptions o, Backend backend, BackendOptions options) {
        if (backend == Backend.ORT_CPU) {
            return;
        }
        try {
            // TensorRT needs CUDA registered first; CUDA then runs what TensorRT does not take
            if (backend == Backend.ORT_TRT) {
                Files.createDirectories(options.engineCache().resolve("ort-trt"));
                OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(options.deviceId());
                for (Map.Entry<String, String> e : OrtProviderSettings.tensorrt(options).entrySet()) {
                    trt.add(e.getKey(), e.getValue());
                }
                o.addCUDA(cudaOptions(options));
                o.addTensorrt(trt);
            } else {
                o.addCUDA(cudaOptions(options));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the engine cache " + options.engineCache(), e);
        } catch (OrtException | LinkageError e) {
            throw new BadInputException(backend.label() + ": ONNX Runtime's " + (backend == Backend.ORT_TRT ? "TensorRT/" : "")
                    + "CUDA provider cannot be loaded (" + firstLine(String.valueOf(e.getMessage())) + "). Build with 'mvn install -Pcuda' "
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

    static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
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
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
             OrtSession.Result r = session.run(Map.of(OnnxContract.INPUT, t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(OnnxContract.OUTPUT).orElseThrow()).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on an input of shape " + Arrays.toString(shape) + ": "
                    + firstLine(e.getMessage()), e);
        }
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
