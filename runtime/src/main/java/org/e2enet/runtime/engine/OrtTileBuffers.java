package org.e2enet.runtime.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.core.window.TileBuffers;

/**
 * One batch shape's input and output for an ONNX Runtime session in direct buffers that ONNX Runtime reads
 * and writes in place: the input tensor wraps the direct input buffer, and the output is pinned to a direct
 * buffer, so a run copies nothing on the Java side.
 */
final class OrtTileBuffers implements TileBuffers {
    private final OrtSession session;
    private final long[] shape;
    private final FloatBuffer input;
    private final FloatBuffer output;
    private final OnnxTensor inputTensor;
    private final OnnxTensor outputTensor;
    private boolean closed;

    OrtTileBuffers(OrtSession session, long[] shape, int classes) {
        this.session = session;
        this.shape = shape.clone();
        long[] outShape = shape.clone();
        outShape[1] = classes;
        this.input = direct(shape);
        this.output = direct(outShape);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            this.inputTensor = OnnxTensor.createTensor(env, input, shape);
            try {
                this.outputTensor = OnnxTensor.createTensor(env, output, outShape);
            } catch (OrtException e) {
                inputTensor.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot wrap buffers of shape " + Arrays.toString(shape) + ": "
                    + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    private static FloatBuffer direct(long[] shape) {
        long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        return ByteBuffer.allocateDirect(Math.toIntExact(Math.multiplyExact(n, Float.BYTES))).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public FloatBuffer input() {
        return input.clear();
    }

    @Override
    public FloatBuffer run() {
        return InFlightRuns.run(shape, options -> {
            try (OrtSession.Result r = session.run(Map.of(OnnxContract.INPUT, inputTensor), Set.of(), Map.of(OnnxContract.OUTPUT, outputTensor),
                    options)) {
                return output.clear();
            }
        });
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inputTensor.close();
            outputTensor.close();
        }
    }
}
