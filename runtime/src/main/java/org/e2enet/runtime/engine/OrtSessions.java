package org.e2enet.runtime.engine;

import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.Backend;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import org.e2enet.core.spec.ModelSpec;

/**
 * ONNX Runtime CPU sessions with the project's settings (intra-op threads, spinning off, all graph
 * optimisations) for graphs that exist only in memory, such as calibration's instrumented and candidate models.
 */
public final class OrtSessions {
    private OrtSessions() {
    }

    /**
     * A CPU session for the serialized model {@code model}; {@code what} names it when ONNX Runtime refuses it.
     *
     * @throws IllegalStateException when ONNX Runtime cannot load the graph (a graph built in memory is not user input)
     */
    public static OrtSession cpu(byte[] model, int threads, String what) {
        try {
            return OrtEngine.session(Backend.ORT_CPU, BackendOptions.cpu(threads), null, null, (env, o) -> env.createSession(model, o));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + what + ": " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    /**
     * @param message an ONNX Runtime message (several lines, with its call stack)
     * @return its first line, or "" for none
     */
    public static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    /**
     * A session for {@code model} on {@code backend} that profiles every node into files starting with {@code prefix}.
     *
     * @param model an exported model
     * @param spec its spec (the TensorRT profile's shapes)
     * @param backend an ONNX Runtime backend
     * @param options how the backend runs it
     * @param prefix where ONNX Runtime writes its profile
     * @return the session, which the caller closes
     */
    public static OrtSession profiling(Path model, ModelSpec spec, Backend backend, BackendOptions options, Path prefix) {
        return OrtEngine.session(model, spec, backend, options, prefix);
    }

    /**
     * @param session a session of an exported model
     * @param input a batch of tiles (N, C, D, H, W)
     * @param shape its shape
     * @return head-0 logits (N, classes, D, H, W)
     */
    public static float[] run(OrtSession session, float[] input, long[] shape) {
        return OrtEngine.run(session, input, shape);
    }
}
