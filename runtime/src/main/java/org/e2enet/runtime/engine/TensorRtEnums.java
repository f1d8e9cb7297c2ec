package org.e2enet.runtime.engine;

import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.nvinfer.ILogger;

/**
 * Decisions on the enums TensorRT hands back, made on their {@code value}. JavaCPP builds a new enum object for
 * every value a native call or callback returns, so {@code ==} against a constant is always false; the natives are
 * not needed to load this class.
 */
final class TensorRtEnums {
    private TensorRtEnums() {
    }

    /** The platform logger's level for a message of TensorRT's log of {@code severity}. */
    static System.Logger.Level level(ILogger.Severity severity) {
        int v = severity.value;
        if (v == ILogger.Severity.kERROR.value || v == ILogger.Severity.kINTERNAL_ERROR.value) {
            return System.Logger.Level.ERROR;
        }
        if (v == ILogger.Severity.kWARNING.value) {
            return System.Logger.Level.WARNING;
        }
        return v == ILogger.Severity.kINFO.value ? System.Logger.Level.INFO : System.Logger.Level.DEBUG;
    }

    /** Whether a layer of type {@code type} is held in FP32 by a build that holds normalisation in FP32. */
    static boolean isNormalization(nvinfer.LayerType type) {
        return type.value == nvinfer.LayerType.kNORMALIZATION.value;
    }
}
