package org.e2enet.devices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The CPU as {@code /proc/cpuinfo} describes it, with the instruction-set flags that change which kernels an
 * inference library picks (AVX2, AVX-512, VNNI, AMX, and arm64's dot-product, SVE and int8 matrix extensions).
 *
 * @param model the model name ("AMD EPYC"; the arm64 CPU part when there is no name)
 * @param logicalCores processors listed
 * @param physicalCores distinct (physical id, core id) pairs, or the logical count when the file has none (arm64)
 * @param flags the kernel-relevant flags present, in {@link #RELEVANT} order
 */
public record CpuInfo(String model, int logicalCores, int physicalCores, List<String> flags) {
    /** Flags reported: x86 (the {@code flags} line) and arm64 (the {@code Features} line). */
    public static final List<String> RELEVANT = List.of("fma", "f16c", "avx2", "avx512f", "avx512_bf16", "avx512_vnni", "avx_vnni", "amx_bf16",
            "amx_int8", "asimd", "asimddp", "sve", "sve2", "i8mm", "bf16");

    /** This machine's {@code /proc/cpuinfo}. */
    public static CpuInfo read() throws IOException {
        return parse(Files.readString(Path.of("/proc/cpuinfo")));
    }

    /** Parses the text of a {@code /proc/cpuinfo}. */
    public static CpuInfo parse(String text) {
        int logical = 0;
        Set<String> cores = new HashSet<>();
        Set<String> present = new HashSet<>();
        String model = null;
        String part = null;
        String physical = "";
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "processor" -> logical++;
                case "model name" -> model = model == null ? value : model;
                case "CPU part" -> part = part == null ? value : part;
                case "physical id" -> physical = value;
                case "core id" -> cores.add(physical + "/" + value);
                case "flags", "Features" -> present.addAll(List.of(value.split("\\s+")));
                default -> {
                }
            }
        }
        List<String> flags = new ArrayList<>();
        for (String f : RELEVANT) {
            if (present.contains(f)) {
                flags.add(f);
            }
        }
        String name = model != null ? model : part != null ? "CPU part " + part : "unknown";
        return new CpuInfo(name, logical, cores.isEmpty() ? logical : cores.size(), List.copyOf(flags));
    }
}
