package org.e2enet.devices;

import java.util.ArrayList;
import java.util.List;

/**
 * One NVIDIA GPU as {@code nvidia-smi --query-gpu=index,name,compute_cap,memory.total,driver_version
 * --format=csv,noheader,nounits} reports it.
 *
 * @param index the CUDA device index
 * @param name e.g. "NVIDIA H100 80GB HBM3"
 * @param computeCapability e.g. "9.0"
 * @param memoryBytes total memory
 * @param driverVersion e.g. "575.51.03"
 */
public record GpuInfo(int index, String name, String computeCapability, long memoryBytes, String driverVersion) {
    /** The query {@link #parse(String)} reads. */
    public static final List<String> QUERY = List.of("nvidia-smi", "--query-gpu=index,name,compute_cap,memory.total,driver_version",
            "--format=csv,noheader,nounits");

    /** One GPU per line of the query's output (memory in MiB). */
    public static List<GpuInfo> parse(String csv) {
        List<GpuInfo> out = new ArrayList<>();
        for (String line : csv.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length != 5) {
                throw new IllegalArgumentException("nvidia-smi line of " + f.length + " fields, expected 5: " + line.trim());
            }
            out.add(new GpuInfo(Integer.parseInt(f[0].trim()), f[1].trim(), f[2].trim(), Long.parseLong(f[3].trim()) * 1024 * 1024,
                    f[4].trim()));
        }
        return out;
    }
}
