package org.e2enet.devices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    /** How long {@code nvidia-smi} may take before discovery gives up on it (a hung driver can block it for minutes). */
    static final Duration NVIDIA_SMI_TIMEOUT = Duration.ofSeconds(10);

    /** Discovers this machine. */
    public static Machine discover() throws IOException {
        GpuStack stack = GpuStack.scan();
        GpuQuery q = queryGpus(GpuInfo.QUERY, NVIDIA_SMI_TIMEOUT, stack);
        return new Machine(CpuInfo.read(), MemoryInfo.read(), q.gpus(), q.absentReason(), stack);
    }

    /** The GPUs a query listed, or why there are none. */
    record GpuQuery(List<GpuInfo> gpus, String absentReason) {
    }

    /**
     * Runs {@code command} (nvidia-smi's query), its output going to a file so that the wait is bounded by
     * {@code timeout} whatever the command does; a command still running then is killed.
     */
    static GpuQuery queryGpus(List<String> command, Duration timeout, GpuStack stack) throws IOException {
        Path out = Files.createTempFile("e2enet-nvidia-smi", ".txt");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            } catch (IOException e) {
                return new GpuQuery(List.of(), stack.driverVersion() == null
                        ? "no NVIDIA driver: /proc/driver/nvidia/version and nvidia-smi not found"
                        : "nvidia-smi not found (driver " + stack.driverVersion() + ")");
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new GpuQuery(List.of(), "nvidia-smi did not answer within " + timeout.toSeconds() + " s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                return new GpuQuery(List.of(), "nvidia-smi failed: " + text.lines().findFirst().orElse("no output"));
            }
            List<GpuInfo> gpus = GpuInfo.parse(text);
            return new GpuQuery(gpus, gpus.isEmpty() ? "nvidia-smi lists no GPU" : null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new GpuQuery(List.of(), "interrupted while asking nvidia-smi");
        } catch (IllegalArgumentException e) {
            return new GpuQuery(List.of(), "nvidia-smi output not understood: " + e.getMessage());
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
