package org.e2enet.runtime;

import java.util.Locale;

/** Where the network runs. */
public enum Backend {
    /** ONNX Runtime on the CPU. */
    ORT_CPU("ort-cpu"),
    /** ONNX Runtime's CUDA provider. */
    ORT_CUDA("ort-cuda"),
    /** ONNX Runtime's TensorRT provider (with CUDA behind it). */
    ORT_TRT("ort-trt"),
    /** TensorRT itself, through bytedeco's bindings, with engines cached on disk. */
    TENSORRT("tensorrt"),
    /** The fastest of the others that loads here (native TensorRT, then ORT's TensorRT, CUDA and CPU providers). */
    AUTO("auto");

    private final String label;

    Backend(String label) {
        this.label = label;
    }

    /**
     * The command-line name.
     *
     * @return the name {@link #parse} reads, {@code ort-cpu} say
     */
    public String label() {
        return label;
    }

    /**
     * Parses a command-line name, in any case.
     *
     * @param text a {@link #label()}
     * @return the backend it names
     * @throws IllegalArgumentException when it names none
     */
    public static Backend parse(String text) {
        for (Backend b : values()) {
            if (b.label.equals(text.toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + text + "' (ort-cpu, ort-cuda, ort-trt, tensorrt or auto)");
    }
}
