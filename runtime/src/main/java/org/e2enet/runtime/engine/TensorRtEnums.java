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

    /** What e2enet does with one message of TensorRT's log. */
    enum LogAction {
        /** Kept for the next error message. */
        KEEP_AS_ERROR,
        /** Printed to stderr. */
        PRINT_AS_WARNING,
        /** Dropped. */
        DROP
    }

    /** The action for a message of {@code severity}. */
    static LogAction logAction(ILogger.Severity severity) {
        int v = severity.value;
        if (v == ILogger.Severity.kERROR.value || v == ILogger.Severity.kINTERNAL_ERROR.value) {
            return LogAction.KEEP_AS_ERROR;
        }
        return v == ILogger.Severity.kWARNING.value ? LogAction.PRINT_AS_WARNING : LogAction.DROP;
    }

    /** Whether a layer of type {@code type} is held in FP32 by a build that holds normalisation in FP32. */
    static boolean isNormalization(nvinfer.LayerType type) {
        return type.value == nvinfer.LayerType.kNORMALIZATION.value;
    }
}
