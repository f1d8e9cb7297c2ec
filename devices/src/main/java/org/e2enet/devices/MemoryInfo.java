package org.e2enet.devices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory as {@code /proc/meminfo} and the process's cgroup describe it.
 *
 * @param totalBytes MemTotal
 * @param availableBytes MemAvailable (MemFree on kernels without it)
 * @param limitBytes the cgroup's memory limit when it is below the total, else null
 */
public record MemoryInfo(long totalBytes, long availableBytes, Long limitBytes) {
    /** This machine: {@code /proc/meminfo}, and the cgroup v2 {@code memory.max} or v1 {@code memory.limit_in_bytes}. */
    public static MemoryInfo read() throws IOException {
        String limit = null;
        for (Path p : new Path[] {Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes")}) {
            if (Files.isReadable(p)) {
                limit = Files.readString(p);
                break;
            }
        }
        return parse(Files.readString(Path.of("/proc/meminfo")), limit);
    }

    /** Parses a {@code meminfo} text and a cgroup limit ("max", a byte count, or null when there is none). */
    public static MemoryInfo parse(String meminfo, String cgroupLimit) {
        long total = -1;
        long available = -1;
        long free = -1;
        for (String line : meminfo.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length < 2) {
                continue;
            }
            long bytes = Long.parseLong(parts[1]) * (parts.length > 2 && parts[2].equalsIgnoreCase("kB") ? 1024 : 1);
            switch (parts[0]) {
                case "MemTotal:" -> total = bytes;
                case "MemAvailable:" -> available = bytes;
                case "MemFree:" -> free = bytes;
                default -> {
                }
            }
        }
        if (total < 0) {
            throw new IllegalArgumentException("meminfo has no MemTotal line");
        }
        Long limit = null;
        if (cgroupLimit != null && cgroupLimit.trim().matches("\\d+")) {
            long l = Long.parseLong(cgroupLimit.trim());
            limit = l < total ? l : null;
        }
        return new MemoryInfo(total, available >= 0 ? available : free, limit);
    }
}
