package org.e2enet.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

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
            throw new IllegalStateException("ONNX Runtime cannot load " + what + ": " + OrtEngine.firstLine(e.getMessage()), e);
        }
    }
}
