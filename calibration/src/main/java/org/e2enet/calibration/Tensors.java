package org.e2enet.calibration;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.e2enet.onnx.proto.OnnxMl;
import org.e2enet.core.onnx.OnnxTensors;

/**
 * The float32 values of an initializer calibration rewrites, and their float16 form (binary16 rounding is calibration
 * business; the other initializers it makes come from {@link OnnxTensors}).
 */
final class Tensors {
    private Tensors() {
    }

    /** The values of a float32 initializer (raw data or float_data). */
    static float[] floats(OnnxMl.TensorProto t) {
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new IllegalArgumentException("initializer " + t.getName() + " is not float32");
        }
        if (!t.getRawData().isEmpty()) {
            float[] v = new float[t.getRawData().size() / 4];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            return v;
        }
        float[] v = new float[t.getFloatDataCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.getFloatData(i);
        }
        return v;
    }

    /** A float16 initializer of {@code v} rounded to nearest even. */
    static OnnxMl.TensorProto float16(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putShort(toHalf(f));
        }
        return OnnxTensors.raw(name, OnnxMl.TensorProto.DataType.FLOAT16, b.array(), dims);
    }

    /** IEEE 754 binary16 bits of {@code f}, rounded to nearest even; overflow gives infinity, NaN stays NaN. */
    static short toHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >> shift;
            int rest = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rest > mid || (rest == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // may carry into the exponent, which is the correct rounding (up to infinity)
        }
        return (short) (sign | half);
    }

    /** The float value of binary16 bits (for tests and round-trip checks). */
    static float fromHalf(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant / 1024f / 16384f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
