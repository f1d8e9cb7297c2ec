package org.e2enet.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuStackTest {
    @TempDir
    Path dir;

    private Path libs(String... names) throws Exception {
        Path d = Files.createDirectories(dir.resolve("lib" + names.length));
        for (String n : names) {
            Files.createFile(d.resolve(n));
        }
        return d;
    }

    private Path driver(String version) throws Exception {
        return Files.writeString(dir.resolve("version-" + version), "NVRM version: NVIDIA UNIX x86_64 Kernel Module  " + version
                + "  Tue Mar 18 2025\nGCC version:  gcc version 12.2.0\n");
    }

    @Test
    void theExpectedStackMatchesAndTheHighestVersionOfEachLibraryIsTaken() throws Exception {
        Path d = libs("libcuda.so.1", "libcuda.so.575.51.03", "libcudart.so", "libcudart.so.12", "libcudart.so.12.9.37", "libcudart.so.12.1.105", "libcublas.so.12.9.1.4",
                "libcudnn.so.9.10.1", "libnvinfer.so.10.12.0", "libnvonnxparser.so.10.12.0", "libcudnn_ops.so.9.10.1", "README");
        GpuStack s = GpuStack.scan(List.of(d), driver("575.51.03"));
        assertEquals(List.of(), messages(s));
        assertEquals("12.9.37", s.library("libcudart.so").orElseThrow().versionText());
        assertEquals("575.51.03", s.driverVersion());
        assertEquals("GPU stack: CUDA driver library 1, CUDA runtime 12.9.37, cuBLAS 12.9.1.4, cuDNN 9.10.1, TensorRT 10.12.0, TensorRT ONNX parser 10.12.0, "
                + "driver 575.51.03: matches this build", s.summary());
    }

    @Test
    void anOldDriverAnotherTensorRtMajorAndAMissingCudnnAreEachNamed() throws Exception {
        Path d = libs("libcudart.so.12.1.105", "libcublas.so.12.1.3.1", "libnvinfer.so.8.6.1", "libnvonnxparser.so.8.6.1");
        GpuStack s = GpuStack.scan(List.of(d, dir.resolve("absent")), driver("470.82.01"));
        assertEquals(List.of("driver 470.82.01 is too old for the CUDA 12 runtime (R525+, R575+ for CUDA 12.9)",
                "CUDA driver library missing (no libcuda.so.1)", "cuDNN missing (no libcudnn.so.9)",
                "TensorRT 8.6.1 found, this build needs 10.x", "TensorRT ONNX parser 8.6.1 found, this build needs 10.x"), messages(s));
        String line = s.summary();
        assertTrue(line.startsWith("GPU stack: CUDA runtime 12.1.105") && line.contains("; mismatch: driver 470.82.01")
                && line.endsWith("(this build needs " + GpuStack.EXPECTED + ")") && !line.contains("\n"), line);
    }

    @Test
    void aMachineWithoutAnyNvidiaSoftwareSaysSoInOneLine() throws Exception {
        GpuStack s = GpuStack.scan(List.of(libs()), dir.resolve("no-such-file"));
        assertEquals("no NVIDIA driver (/proc/driver/nvidia/version not found)", messages(s).get(0));
        assertTrue(s.summary().startsWith("GPU stack: no NVIDIA library found; mismatch: no NVIDIA driver"), s.summary());
    }

    @Test
    void aHostWithTwoCudaRuntimesSideBySideMatchesOnTheOneThisBuildLoads() throws Exception {
        Path d = libs("libcuda.so.1", "libcudart.so.12", "libcudart.so.12.9.37", "libcudart.so.13", "libcudart.so.13.0.48", "libcublas.so.12.9.1.4",
                "libcublas.so.13.0.0.19", "libcudnn.so.9.10.1", "libnvinfer.so.10.12.0", "libnvonnxparser.so.10.12.0");
        GpuStack s = GpuStack.scan(List.of(d), driver("580.65.06"));
        assertEquals(List.of(), messages(s), "CUDA 13 beside CUDA 12 is no mismatch");
        assertEquals("12.9.37", s.library("libcudart.so").orElseThrow().versionText());
        assertEquals("12.9.1.4", s.library("libcublas.so").orElseThrow().versionText());
        GpuStack only13 = GpuStack.scan(List.of(libs("libcuda.so.1", "libcudart.so.13.0.48")), driver("580.65.06"));
        assertTrue(messages(only13).contains("CUDA runtime 13.0.48 found, this build needs 12.x"), messages(only13).toString());
    }

    private static List<String> messages(GpuStack s) {
        return s.mismatches().stream().map(GpuMismatch::message).toList();
    }
}
