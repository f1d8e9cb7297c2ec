package org.e2enet.devices;

/** A part of the NVIDIA stack that {@link GpuStack} checks, so that a backend can name the parts it needs by type. */
public enum GpuComponent {
    /** The kernel driver. */
    DRIVER("driver"),
    /** The driver's user-space CUDA library ({@code libcuda.so}). */
    CUDA_DRIVER_LIBRARY("CUDA driver library"),
    /** The CUDA runtime ({@code libcudart.so}). */
    CUDA_RUNTIME("CUDA runtime"),
    /** cuBLAS. */
    CUBLAS("cuBLAS"),
    /** cuDNN. */
    CUDNN("cuDNN"),
    /** TensorRT ({@code libnvinfer.so}). */
    TENSORRT("TensorRT"),
    /** TensorRT's ONNX parser ({@code libnvonnxparser.so}). */
    TENSORRT_ONNX_PARSER("TensorRT ONNX parser");

    private final String displayName;

    GpuComponent(String displayName) {
        this.displayName = displayName;
    }

    /** Its name in messages, e.g. "CUDA runtime". */
    public String displayName() {
        return displayName;
    }
}
