package org.e2enet.devices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What this machine offers a deployment, read from the machine itself (no network, nothing loaded, never
 * failing for a missing GPU): CPU, memory, NVIDIA GPUs and the GPU library stack.
 *
 * @param cpu the CPU
 * @param memory memory and the cgroup limit
 * @param gpus the GPUs {@code nvidia-smi} lists (empty without one)
 * @param gpuAbsentReason why {@code gpus} is empty, or null
 * @param gpuStack the CUDA / cuDNN / TensorRT libraries and driver, checked against this build's stack
 */
public record Machine(CpuInfo cpu, MemoryInfo memory, List<GpuInfo> gpus, String gpuAbsentReason, GpuStack gpuStack) {
    /** Discovers this machine. */
    public static Machine discover() throws IOException {
        GpuStack stack = GpuStack.scan();
        List<GpuInfo> gpus = List.of();
        String reason;
        try {
            Process p = new ProcessBuilder(GpuInfo.QUERY).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean done = p.waitFor(10, TimeUnit.SECONDS);
            if (done && p.exitValue() == 0) {
                gpus = GpuInfo.parse(out);
                reason = gpus.isEmpty() ? "nvidia-smi lists no GPU" : null;
            } else {
                p.destroyForcibly();
                reason = "nvidia-smi failed: " + out.lines().findFirst().orElse("no output");
            }
        } catch (IOException e) {
            reason = stack.driverVersion() == null ? "no NVIDIA driver: /proc/driver/nvidia/version and nvidia-smi not found"
                    : "nvidia-smi not found (driver " + stack.driverVersion() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "interrupted while asking nvidia-smi";
        } catch (IllegalArgumentException e) {
            reason = "nvidia-smi output not understood: " + e.getMessage();
        }
        return new Machine(CpuInfo.read(), MemoryInfo.read(), gpus, reason, stack);
    }
}
