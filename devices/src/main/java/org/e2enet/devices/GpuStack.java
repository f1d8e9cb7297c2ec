package org.e2enet.devices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The NVIDIA libraries this machine has (the driver's CUDA library, CUDA runtime, cuBLAS, cuDNN, TensorRT and its
 * ONNX parser) and its driver version, read from the file system without loading anything, and checked against the
 * one stack every GPU backend of this build expects: CUDA 12 (12.9), cuDNN 9 (9.10), TensorRT 10 (10.12), driver
 * R525+ for any CUDA 12 runtime (R575+ for 12.9 itself). A host may hold several versions of a library side by side
 * (CUDA 12 and 13 runtimes, say): the build loads the major version it needs, so that one is taken when present.
 *
 * @param libraries of each library, by soname, the highest version of the major this build needs, else the highest
 *     found (absent when none was found)
 * @param driverVersion the kernel driver's version (e.g. "575.51.03"), or null when there is no NVIDIA driver
 * @param searched the directories searched
 */
public record GpuStack(Map<String, NativeLibrary> libraries, String driverVersion, List<Path> searched) {
    /** The stack this build expects, in words. */
    public static final String EXPECTED = "CUDA 12.9, cuDNN 9.10 and TensorRT 10.12 with an R575+ NVIDIA driver";
    /** The oldest driver branch that runs any CUDA 12 runtime (CUDA's minor-version compatibility). */
    static final int MIN_DRIVER = 525;
    /** sonames searched, with what they are and the major version this build needs. */
    static final Map<String, Need> NEEDS = new LinkedHashMap<>();

    /** What the build needs of one library. */
    record Need(GpuComponent component, int major) {
        String name() {
            return component.displayName();
        }
    }

    static {
        NEEDS.put("libcuda.so", new Need(GpuComponent.CUDA_DRIVER_LIBRARY, 1));
        NEEDS.put("libcudart.so", new Need(GpuComponent.CUDA_RUNTIME, 12));
        NEEDS.put("libcublas.so", new Need(GpuComponent.CUBLAS, 12));
        NEEDS.put("libcudnn.so", new Need(GpuComponent.CUDNN, 9));
        NEEDS.put("libnvinfer.so", new Need(GpuComponent.TENSORRT, 10));
        NEEDS.put("libnvonnxparser.so", new Need(GpuComponent.TENSORRT_ONNX_PARSER, 10));
    }

    private static final Pattern VERSIONED = Pattern.compile("(lib[a-z_]+\\.so)((?:\\.\\d+)*)");
    private static final Pattern DRIVER = Pattern.compile("Kernel Module\\s+(?:for\\s+\\S+\\s+)?(\\d+(?:\\.\\d+)+)");

    /** This machine: {@code LD_LIBRARY_PATH}, the CUDA and distribution library directories, {@code /proc/driver/nvidia/version}. */
    public static GpuStack scan() {
        Set<Path> dirs = new LinkedHashSet<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        for (String d : new String[] {"/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/lib/x86_64-linux-gnu",
            "/usr/lib64", "/usr/lib", "/usr/local/lib"}) {
            dirs.add(Path.of(d));
        }
        return scan(new ArrayList<>(dirs), Path.of("/proc/driver/nvidia/version"));
    }

    /** The libraries in {@code dirs} and the driver version in {@code driverFile} (missing: no driver). */
    public static GpuStack scan(List<Path> dirs, Path driverFile) {
        Map<String, NativeLibrary> found = new LinkedHashMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> consider(found, f));
            } catch (IOException | RuntimeException e) {
                // an unreadable directory holds nothing we can use
            }
        }
        return new GpuStack(found, driver(driverFile), List.copyOf(dirs));
    }

    private static void consider(Map<String, NativeLibrary> found, Path file) {
        Matcher m = VERSIONED.matcher(file.getFileName().toString());
        if (!m.matches() || !NEEDS.containsKey(m.group(1))) {
            return;
        }
        String soname = m.group(1);
        String digits = m.group(2);
        int[] version = digits.isEmpty() ? new int[0] : Stream.of(digits.substring(1).split("\\.")).mapToInt(Integer::parseInt).toArray();
        Need need = NEEDS.get(soname);
        NativeLibrary lib = new NativeLibrary(need.name(), soname, version, file.toString());
        NativeLibrary old = found.get(soname);
        if (old == null || preferred(lib, old, need.major())) {
            found.put(soname, lib);
        }
    }

    /** Whether {@code a} is the better of two versions for a build needing {@code major}: the needed major first, then the higher. */
    static boolean preferred(NativeLibrary a, NativeLibrary b, int major) {
        boolean aFits = a.major().isPresent() && a.major().get() == major;
        boolean bFits = b.major().isPresent() && b.major().get() == major;
        return aFits != bFits ? aFits : NativeLibrary.compareVersions(a.version(), b.version()) > 0;
    }

    private static String driver(Path file) {
        try {
            Matcher m = DRIVER.matcher(Files.readString(file));
            return m.find() ? m.group(1) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** One library, if found. */
    public Optional<NativeLibrary> library(String soname) {
        return Optional.ofNullable(libraries.get(soname));
    }

    /** What does not match the expected stack, each with the component at fault; empty when everything does. */
    public List<GpuMismatch> mismatches() {
        List<GpuMismatch> out = new ArrayList<>();
        if (driverVersion == null) {
            out.add(new GpuMismatch(GpuComponent.DRIVER, "no NVIDIA driver (/proc/driver/nvidia/version not found)"));
        } else {
            int branch = Integer.parseInt(driverVersion.split("\\.")[0]);
            if (branch < MIN_DRIVER) {
                out.add(new GpuMismatch(GpuComponent.DRIVER, GpuComponent.DRIVER.displayName() + " " + driverVersion
                        + " is too old for the CUDA 12 runtime (R" + MIN_DRIVER + "+, R575+ for CUDA 12.9)"));
            }
        }
        for (Map.Entry<String, Need> e : NEEDS.entrySet()) {
            NativeLibrary lib = libraries.get(e.getKey());
            Need need = e.getValue();
            if (lib == null) {
                out.add(new GpuMismatch(need.component(), need.name() + " missing (no " + e.getKey() + "." + need.major() + ")"));
            } else if (lib.major().isPresent() && lib.major().get() != need.major()) {
                out.add(new GpuMismatch(need.component(), need.name() + " " + lib.versionText() + " found, this build needs " + need.major() + ".x"));
            }
        }
        return out;
    }

    /** The whole check in one line: what was found and whether it matches. */
    public String summary() {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, Need> e : NEEDS.entrySet()) {
            library(e.getKey()).ifPresent(l -> found.add(l.name() + " " + l.versionText()));
        }
        if (driverVersion != null) {
            found.add("driver " + driverVersion);
        }
        List<String> bad = mismatches().stream().map(GpuMismatch::message).toList();
        String what = found.isEmpty() ? "no NVIDIA library found" : String.join(", ", found);
        return "GPU stack: " + what + (bad.isEmpty() ? ": matches this build" : "; mismatch: " + String.join("; ", bad)
                + " (this build needs " + EXPECTED + ")");
    }
}
