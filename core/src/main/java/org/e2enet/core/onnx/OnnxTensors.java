package org.e2enet.core.onnx;

import org.e2enet.onnx.proto.OnnxMl;
import org.e2enet.shaded.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The one way e2enet makes ONNX initializers: raw little-endian data of one type with its dims, for the exporter's
 * {@link OnnxBuilder} and calibration's rewrites alike.
 */
public final class OnnxTensors {
    private OnnxTensors() {
    }

    /**
     * A float32 tensor.
     *
     * @param name its name
     * @param values its values
     * @param dims its shape (none: a scalar)
     * @return the tensor
     */
    public static OnnxMl.TensorProto float32(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return raw(name, OnnxMl.TensorProto.DataType.FLOAT, b.array(), dims);
    }

    /**
     * An int8 tensor (quantized weights, zero points).
     *
     * @param name its name
     * @param values its values
     * @param dims its shape (none: a scalar)
     * @return the tensor
     */
    public static OnnxMl.TensorProto int8(String name, byte[] values, long... dims) {
        return raw(name, OnnxMl.TensorProto.DataType.INT8, values, dims);
    }

    /**
     * A uint8 tensor (zero points of uint8 activations), {@code values} read as unsigned.
     *
     * @param name its name
     * @param values its values
     * @param dims its shape (none: a scalar)
     * @return the tensor
     */
    public static OnnxMl.TensorProto uint8(String name, byte[] values, long... dims) {
        return raw(name, OnnxMl.TensorProto.DataType.UINT8, values, dims);
    }

    /**
     * An int64 tensor (indices, shapes).
     *
     * @param name its name
     * @param values its values
     * @param dims its shape (none: a scalar)
     * @return the tensor
     */
    public static OnnxMl.TensorProto int64(String name, long[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return raw(name, OnnxMl.TensorProto.DataType.INT64, b.array(), dims);
    }

    /**
     * A tensor of already encoded values.
     *
     * @param name its name
     * @param type its element type
     * @param data its values, little-endian
     * @param dims its shape (none: a scalar)
     * @return the tensor
     */
    public static OnnxMl.TensorProto raw(String name, OnnxMl.TensorProto.DataType type, byte[] data, long... dims) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(data));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }
}
